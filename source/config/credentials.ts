/**
 * Which values written in warroom.yaml are credentials: header values under
 * credential-like names (and the bare token after a scheme like `Bearer`).
 * Read before validation, so a credential of the wrong type is still masked.
 */
import {isMapping} from './yaml-input';

/** Keys whose values are credentials: header names, and any key that looks like one. */
export const sensitiveHeader = /authorization|token|key|secret|cookie|password/i;
// `Bearer abc…`: the credential alone may be echoed too, e.g. by a server's error.
const schemeAndCredential = /^[A-Za-z][\w-]*\s+(\S+)$/;

/** Credential headers as written, read before validation: a header of the wrong type is still a secret. */
export function headerSecrets(health: unknown): string[] {
	if (!Array.isArray(health)) return [];
	return health.flatMap(check => {
		const headers: unknown = isMapping(check) ? check['headers'] : undefined;
		if (!isMapping(headers)) return [];
		return Object.entries(headers)
			.filter(([name, value]) => sensitiveHeader.test(name) && (typeof value === 'string' || typeof value === 'number'))
			.flatMap(([, value]) => {
				const text = String(value);
				const credential = schemeAndCredential.exec(text)?.[1];
				return credential === undefined ? [text] : [text, credential];
			});
	});
}
