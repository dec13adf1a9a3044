import fc from 'fast-check';

import { dateCreatedFilter, dateWindows, exotelTime, WINDOW_MS } from '../../nodes/Exotel/resources/call/dateWindows';

// Six months and a bit either side of today, in whole and odd milliseconds.
const instant = fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2026, 11, 31) });

describe('call history date windows', () => {
	it('cover the range second by second, without overlap, each within the month-long window, in sort order', () => {
		fc.assert(
			fc.property(instant, fc.integer({ min: 0, max: 200 * 24 * 3600_000 }), fc.boolean(), (from, span, descending) => {
				const to = from + span;
				const windows = dateWindows(from, to, descending);
				const ascending = descending ? [...windows].reverse() : windows;
				expect(ascending[0].from).toBe(Math.floor(from / 1000) * 1000);
				expect(ascending[ascending.length - 1].to).toBe(Math.floor(to / 1000) * 1000);
				for (const [index, window] of ascending.entries()) {
					expect(window.to - window.from).toBeLessThanOrEqual(WINDOW_MS - 1000);
					expect(window.to).toBeGreaterThanOrEqual(window.from);
					if (index > 0) expect(window.from).toBe(ascending[index - 1].to + 1000);
				}
				expect(windows.length).toBe(Math.floor((Math.floor(to / 1000) - Math.floor(from / 1000)) / (WINDOW_MS / 1000)) + 1);
			}),
		);
	});

	it("writes Exotel's zoneless India time", () => {
		expect(exotelTime(Date.parse('2024-01-15T10:48:33Z'))).toBe('2024-01-15 16:18:33');
		expect(exotelTime(Date.parse('2024-12-31T20:00:00.999Z'))).toBe('2025-01-01 01:30:00');
		expect(dateCreatedFilter({ from: Date.parse('2024-01-01T00:00:00+05:30'), to: Date.parse('2024-01-30T23:59:59+05:30') })).toBe(
			'gte:2024-01-01 00:00:00;lte:2024-01-30 23:59:59',
		);
	});

	it('a range within one window is one query', () => {
		const from = Date.parse('2024-03-01T00:00:00+05:30');
		expect(dateWindows(from, from + WINDOW_MS - 1000, true)).toHaveLength(1);
		expect(dateWindows(from, from + WINDOW_MS, true)).toHaveLength(2);
	});
});
