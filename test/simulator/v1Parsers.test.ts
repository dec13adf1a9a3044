import fc from 'fast-check';
import { indianNumber, nestPairs, parseV1Time, v1Time, type FormValue } from './v1Replies';

/** Bracket-key form pairs for a nested value, the way clients index arrays (`a[0][b]`). */
function pairsOf(prefix: string, v: FormValue, out: Array<[string, string]>): void {
	if (typeof v === 'string') out.push([prefix, v]);
	else if (Array.isArray(v)) v.forEach((x, i) => pairsOf(`${prefix}[${i}]`, x, out));
	else for (const [k, x] of Object.entries(v)) pairsOf(`${prefix}[${k}]`, x, out);
}

const key = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,8}$/);
const leaf = fc.string({ maxLength: 12 });
// Non-empty arrays and records whose keys are not all digits (those read back as arrays).
const value: fc.Arbitrary<FormValue> = fc.letrec<{ v: FormValue }>((tie) => ({
	v: fc.oneof(
		{ depthSize: 'small', withCrossShrink: true },
		leaf,
		fc.array(tie('v'), { minLength: 2, maxLength: 4 }),
		fc.dictionary(key, tie('v'), { minKeys: 1, maxKeys: 3 }),
	),
})).v;

describe('v1 form parsing (property-based)', () => {
	it('reads back any nested value sent with indexed bracket keys, in any pair order', () => {
		fc.assert(
			fc.property(fc.dictionary(key, value, { minKeys: 1, maxKeys: 4 }), fc.integer(), (params, seed) => {
				const pairs: Array<[string, string]> = [];
				for (const [k, v] of Object.entries(params)) pairsOf(k, v, pairs);
				// Shuffle: indexes, not arrival order, decide array positions.
				const shuffled = pairs.map((p, i) => ({ p, r: (i * 7919 + seed) % 1009 })).sort((a, b) => a.r - b.r).map((x) => x.p);
				const encoded = new URLSearchParams(shuffled).toString();
				expect(nestPairs(new URLSearchParams(encoded))).toEqual(params);
			}),
		);
	});

	it('a repeated key reads as the list of its values in order', () => {
		fc.assert(
			fc.property(key, fc.array(leaf, { minLength: 2, maxLength: 6 }), (k, values) => {
				expect(nestPairs(values.map((v): [string, string] => [k, v]))).toEqual({ [k]: values });
			}),
		);
	});
});

describe('v1 times and numbers (property-based)', () => {
	it('v1Time and parseV1Time round-trip to the second', () => {
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), (ms) => {
				const text = v1Time(ms);
				expect(text).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
				expect(parseV1Time(text)).toBe(Math.floor(ms / 1000) * 1000);
			}),
		);
	});

	it('every Indian form of a number reads as the same 0XXXXXXXXXX; other countries as none', () => {
		fc.assert(
			fc.property(fc.stringMatching(/^[1-9]\d{9}$/), (ten) => {
				const expected = '0' + ten;
				for (const form of [`+91${ten}`, `91${ten}`, `0${ten}`, ten, `+91 ${ten.slice(0, 5)} ${ten.slice(5)}`, `0091${ten}`]) {
					expect(indianNumber(form)).toBe(expected);
				}
				expect(indianNumber(`+1${ten}`)).toBeUndefined();
				expect(indianNumber(`+44${ten}`)).toBeUndefined();
			}),
		);
	});
});
