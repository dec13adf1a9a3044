import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { forEachItem } from '../../helpers/errors';
import { checkPollOptions, pollUntilFinal } from '../../helpers/polling';
import { campaignIdFrom, campaignLocator } from './fields';
import { describeCampaignStats, fetchCampaign, isFinalStatus } from './records';

export const DEFAULT_POLL_INTERVAL_S = 60;
export const DEFAULT_TIMEOUT_S = 3600;
/** Fractions of a second are accepted from expressions (tests, fast simulators). */
const MIN_POLL_INTERVAL_S = 0.01;

export const description: INodeProperties[] = [
	campaignLocator(['waitForCompletion'], "The campaign to wait for (straight after Create: {{ $json.id }})"),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { resource: ['campaign'], operation: ['waitForCompletion'] } },
		options: [
			{
				displayName: 'Poll Interval (Seconds)',
				name: 'pollInterval',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_POLL_INTERVAL_S,
				description:
					"How long to wait between two status checks. Each check is one request of the Campaign API's budget (30 a minute per account).",
			},
			{
				displayName: 'Max Wait (Seconds)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: DEFAULT_TIMEOUT_S,
				description:
					'How long to wait for a final status before the node fails. The campaign goes on in Exotel either way.',
			},
		],
	},
];

/** A campaign runs for minutes to days: check once a minute, for an hour, by default. */
const CAMPAIGN_POLL_DEFAULTS = {
	pollInterval: DEFAULT_POLL_INTERVAL_S,
	timeout: DEFAULT_TIMEOUT_S,
	minPollInterval: MIN_POLL_INTERVAL_S,
};

function pollSettings(context: IExecuteFunctions, itemIndex: number) {
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return checkPollOptions(context.getNode(), itemIndex, options, CAMPAIGN_POLL_DEFAULTS);
}

/**
 * Polls each item's campaign until it is completed, failed, canceled or archived (any spelling; paused
 * and unknown statuses are not final) and outputs it. Fails when Max Wait passes, with the last status
 * and stats; a cancelled execution stops at once.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await forEachItem(this, async (itemIndex) => {
		const campaignId = campaignIdFrom(this, itemIndex);
		const { pollInterval, timeout } = pollSettings(this, itemIndex);
		const node = this.getNode();
		return await pollUntilFinal<IDataObject>(
			this,
			{ intervalMs: pollInterval * 1000, timeoutMs: timeout * 1000 },
			{
				check: async () => {
					const campaign = await fetchCampaign(this, campaignId, itemIndex);
					return { value: campaign, final: isFinalStatus(campaign.status) };
				},
				timedOut: (last, checks) =>
					new NodeOperationError(
						node,
						`Item ${itemIndex + 1}: campaign ${campaignId} is still ${String(last.status ?? 'without a status')} after ${timeout} seconds (${describeCampaignStats(last.stats)})`,
						{
							itemIndex,
							description: `${checks} status check${checks === 1 ? '' : 's'}. The campaign goes on in Exotel: increase Max Wait, or check it later with Get or Wait for Completion.`,
						},
					),
				cancelled: () =>
					new NodeOperationError(node, `Stopped waiting for campaign ${campaignId}: the execution was cancelled`, {
						itemIndex,
						description: 'The campaign itself goes on in Exotel.',
					}),
			},
		);
	});
}
