import { createHash, timingSafeEqual } from 'node:crypto';

function digest(text: string): Buffer {
	return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * Compares a request's `token` with the node's secret in constant time: both are hashed first, so
 * `timingSafeEqual` gets equal lengths and the time tells nothing of the secret's length either.
 */
export function tokenMatches(token: unknown, secret: string): boolean {
	if (typeof token !== 'string') return false;
	return timingSafeEqual(digest(token), digest(secret));
}
