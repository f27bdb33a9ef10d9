/**
 * Whether a kubectl context is production: its name matches the config's
 * `kubernetes.production` pattern (a regular expression, case-insensitive).
 * The header and every confirmation of a change mark such a context `PROD`.
 */
import {defaultKubernetes} from '../../config/types';

export function isProductionContext(context: string, pattern: string = defaultKubernetes.production): boolean {
	try {
		return new RegExp(pattern, 'i').test(context);
	} catch {
		// The config checks the pattern; one that still does not compile marks everything, the safe side.
		return true;
	}
}
