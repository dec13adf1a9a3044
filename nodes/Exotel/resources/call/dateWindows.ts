/** Exotel answers one call-history query for at most a month; 30 days fits every month. */
export const WINDOW_MS = 30 * 24 * 3600_000;

/** India's offset from UTC: Exotel's zoneless call times are India time. */
const IST_OFFSET_MS = 330 * 60_000;

/** An instant as Exotel writes call times: `YYYY-MM-DD HH:mm:ss`, India time. */
export function exotelTime(instant: number): string {
	const text = new Date(Math.floor(instant / 1000) * 1000 + IST_OFFSET_MS).toISOString();
	return `${text.slice(0, 10)} ${text.slice(11, 19)}`;
}

export interface DateWindow {
	/** First second in the window (ms since the epoch, whole seconds). */
	from: number;
	/** Last second in the window (inclusive). */
	to: number;
}

/**
 * `from`…`to` (inclusive, whole seconds) cut into windows of at most WINDOW_MS that neither overlap nor
 * leave a second out, newest first when `descending` (so the pages come in the order asked for).
 */
export function dateWindows(from: number, to: number, descending: boolean): DateWindow[] {
	const start = Math.floor(from / 1000) * 1000;
	const end = Math.floor(to / 1000) * 1000;
	const windows: DateWindow[] = [];
	for (let windowStart = start; windowStart <= end; windowStart += WINDOW_MS) {
		windows.push({ from: windowStart, to: Math.min(end, windowStart + WINDOW_MS - 1000) });
	}
	return descending ? windows.reverse() : windows;
}

/** Exotel's DateCreated filter for a window: `gte:2024-01-01 00:00:00;lte:2024-01-30 23:59:59`. */
export function dateCreatedFilter(window: DateWindow): string {
	return `gte:${exotelTime(window.from)};lte:${exotelTime(window.to)}`;
}
