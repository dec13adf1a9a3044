import type { IDataObject } from 'n8n-workflow';

/** Exotel's error detail, e.g. `{ code: 1002, message: 'Invalid parameter', description: '…' }`. */
export interface ExotelErrorData {
	code?: number | string;
	message?: string;
	description?: string;
}

/** One entry of an envelope's `response`: a whole answer, or one record of a bulk/list answer. */
export interface ExotelResult {
	code?: number;
	status?: string;
	error_data?: ExotelErrorData | null;
	data?: IDataObject | null;
}

/** Every Exotel v2 answer: `{ request_id, method, http_code, metadata?, response }`. */
export interface ExotelEnvelope {
	request_id?: string;
	method?: string;
	http_code?: number;
	metadata?: IDataObject;
	response: ExotelResult | ExotelResult[];
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** What a page of records looks like once the envelope is read. */
export interface ExotelPage {
	records: IDataObject[];
	total?: number;
}
