/**
 * Masking of secrets (values read from the environment, passwords in URLs,
 * credentials in headers) in any text before it reaches the screen, the
 * journal, a template or a log.
 */

const mask = '•••';

// Secrets this short would mask ordinary words and digits all over the screen.
const shortestSecret = 3;

// `scheme://user:password@`. The password may hold an unencoded `@` (people
// write them), so it runs to the last `@` before the path, query or fragment.
const urlUserinfo = /\b([a-z][a-z\d+.-]*:\/\/[^\s:@/?#]*):([^\s/?#]+)@/gi;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Replaces the password of every URL with userinfo: `postgres://app:•••@db/shop`. */
export function maskUrlPassword(url: string): string {
	return url.replace(urlUserinfo, `$1:${mask}@`);
}

/** The passwords written in URLs anywhere in the text, as written. */
export function urlPasswords(text: string): string[] {
	return [...text.matchAll(urlUserinfo)].map(match => match[2] ?? '');
}

/**
 * A function that masks every known secret and every URL password in a text.
 * The pattern is built once: the redactor runs on every line drawn.
 */
export function createRedactor(secrets: readonly string[]): (text: string) => string {
	const known = secrets.filter(secret => secret.length >= shortestSecret);
	// Also as JSON writes it: an error's `got "…"` and `snapshot --format json`
	// escape quotes, backslashes and control characters, and the plain secret no longer matches.
	const candidates = [...new Set([...known, ...known.map(secret => JSON.stringify(secret).slice(1, -1))])];
	if (candidates.length === 0) return maskUrlPassword;
	// Longest first, so a secret that contains another is masked whole.
	candidates.sort((a, b) => b.length - a.length);
	const pattern = new RegExp(candidates.map(escapeRegExp).join('|'), 'g');
	return text => maskUrlPassword(text.replace(pattern, mask));
}
