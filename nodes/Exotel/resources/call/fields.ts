import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { wholeNumber } from '../../helpers/validation';

export const showFor = (operations: string[]): IDisplayOptions => ({ show: { resource: ['call'], operation: operations } });

export const simplifyOption: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description:
		'Whether to return only Sid, Status, From, To, Direction, StartTime, EndTime, Duration, Price, RecordingUrl and CustomField (and the legs when asked for) instead of all of Exotel\'s fields',
};

export const detailsOption: INodeProperties = {
	displayName: 'Include Legs',
	name: 'details',
	type: 'boolean',
	default: false,
	description: "Whether to add each leg's status and on-call time and the conversation duration (Exotel's Details)",
};

export const recordingUrlValidityOption: INodeProperties = {
	displayName: 'Recording Link Validity (Minutes)',
	name: 'recordingUrlValidity',
	type: 'number',
	typeOptions: { minValue: 5, maxValue: 60 },
	default: 60,
	description:
		'How long the pre-signed recording link (PreSignedRecordingUrl) stays valid, 5 to 60 minutes. Exotel adds it only when the account has the feature; the plain RecordingUrl needs the API credentials.',
};

export function callSidField(operations: string[], description: string): INodeProperties {
	return {
		displayName: 'Call SID',
		name: 'callSid',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. c5797dcbaaeed7678c4062a4a0b2a5ce',
		description,
		displayOptions: showFor(operations),
	};
}

/** The options collection of an item, with Recording Link Validity checked. */
export function callOptions(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	if (options.recordingUrlValidity !== undefined && options.recordingUrlValidity !== '') {
		options.recordingUrlValidity = wholeNumber(context.getNode(), itemIndex, 'Recording Link Validity (Minutes)', options.recordingUrlValidity, 5, 60);
	}
	return options;
}
