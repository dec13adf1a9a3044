/**
 * How long the transport waits for Exotel, in one place. Plain constants: the test suite swaps this
 * module for one with shorter waits (jest.mock), so nothing here is a switch n8n could flip.
 */

/** How long one attempt of a JSON call waits for an answer unless Request Options → Timeout says. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** A bulk request also waits this long per record: Exotel takes well over 30 s to answer 5000 contacts. */
export const TIMEOUT_PER_RECORD_MS = 10;
/** An item whose request is not answered fails within this long, retries included. */
export const NO_ANSWER_BUDGET_MS = 120_000;
/** First wait after a 5xx or dropped connection; doubles each time. */
export const BACKOFF_BASE_MS = 500;
