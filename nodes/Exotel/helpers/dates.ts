/** Date-times as n8n hands them to a node, and as Exotel takes them. */

const HAS_OFFSET = /(Z|[+-]\d{2}:?\d{2})$/i;
const WALL_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/;

/** Minutes east of UTC of `timeZone` at `instant`. */
function offsetMinutes(timeZone: string, instant: number): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(new Date(instant));
	const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
	const asUtc = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
	return Math.round((asUtc - Math.floor(instant / 1000) * 1000) / 60_000);
}

const pad = (n: number) => String(Math.abs(n)).padStart(2, '0');

/** `instant` as RFC 3339 in `timeZone`: 2024-01-15T09:00:00+05:30. */
export function rfc3339In(instant: number, timeZone: string): string {
	const offset = offsetMinutes(timeZone, instant);
	const local = new Date(Math.floor(instant / 1000) * 1000 + offset * 60_000);
	const date = `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
	const time = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
	const sign = offset < 0 ? '-' : '+';
	return `${date}T${time}${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`;
}

/**
 * The instant an n8n date-time stands for: a string with an offset as written; one without (what the
 * editor's date picker saves) as wall time in the workflow's time zone; a Date or Luxon DateTime as is.
 */
export function instantOf(value: unknown, timeZone: string): number | undefined {
	if (value instanceof Date) return value.getTime();
	if (value !== null && typeof value === 'object' && typeof (value as { toMillis?: unknown }).toMillis === 'function') {
		return (value as { toMillis: () => number }).toMillis();
	}
	if (typeof value === 'number') return value;
	const text = String(value).trim();
	if (HAS_OFFSET.test(text)) {
		const ms = Date.parse(text);
		return Number.isNaN(ms) ? undefined : ms;
	}
	const m = WALL_TIME.exec(text);
	if (!m) return undefined;
	const [, y, mo, d, h = '0', mi = '0', s = '0'] = m;
	const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
	// The zone's offset at that wall time (checked twice around a DST change).
	let instant = wall - offsetMinutes(timeZone, wall) * 60_000;
	instant = wall - offsetMinutes(timeZone, instant) * 60_000;
	return instant;
}
