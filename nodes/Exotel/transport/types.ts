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

/**
 * Which of Exotel's APIs a request is for:
 * - `v2`: the Campaign API (`/v2/accounts/<sid>`): JSON bodies, the `{ response }` envelope, offset pages;
 * - `v1`: calls, SMS and numbers (`/v1/Accounts/<sid>`): form bodies, `.json` paths, PascalCase answers,
 *   `RestException` errors, cursor pages;
 * - `v2_beta`: ExoPhones (`/v2_beta/Accounts/<sid>`): JSON answers in snake_case, numbered pages.
 */
export type ExotelApiVersion = 'v2' | 'v1' | 'v2_beta';

/** Exotel limits each family of its APIs on its own; the node paces each family on its own. */
export type ApiFamily = 'campaigns' | 'contacts' | 'voice' | 'sms' | 'smsBulk';

/** A v1 or v2_beta answer once read: the parsed JSON, e.g. `{ Call: {…} }`, or an array of such. */
export type ExotelV1Answer = IDataObject | IDataObject[];

/** What a page of records looks like once the envelope is read. */
export interface ExotelPage {
	records: IDataObject[];
	total?: number;
}
