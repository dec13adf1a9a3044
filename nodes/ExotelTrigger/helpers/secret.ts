/**
 * Compares a request's `token` with the node's secret in time that depends only on the secret's
 * length, not on how many leading characters match (the node may not import `crypto`).
 */
export function tokenMatches(token: unknown, secret: string): boolean {
	if (typeof token !== 'string') return false;
	let difference = token.length ^ secret.length;
	for (let index = 0; index < secret.length; index++) {
		// Past the token's end charCodeAt gives NaN, which `^` reads as 0: still a difference.
		difference |= token.charCodeAt(index) ^ secret.charCodeAt(index);
	}
	return difference === 0;
}
