import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { forEachItem } from '../../helpers/errors';
import { pollUntilFinal } from '../../helpers/polling';
import { inputError } from '../../helpers/validation';
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

function pollSettings(context: IExecuteFunctions, itemIndex: number) {
	const node = context.getNode();
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const pollInterval = Number(options.pollInterval ?? DEFAULT_POLL_INTERVAL_S);
	const timeout = Number(options.timeout ?? DEFAULT_TIMEOUT_S);
	if (!Number.isFinite(pollInterval) || pollInterval < MIN_POLL_INTERVAL_S) {
		throw inputError(node, itemIndex, 'Poll Interval', `must be at least ${MIN_POLL_INTERVAL_S} seconds`);
	}
	if (!Number.isFinite(timeout) || timeout < 0) throw inputError(node, itemIndex, 'Max Wait', 'must be 0 seconds or more');
	return { pollInterval, timeout };
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
