/**
 * `${NAME}` in warroom.yaml: every string value reads the environment, and
 * every value read (unless its variable is listed in `publicEnv`) and every
 * password written in a URL is collected as a secret for the redactor.
 */
import {ConfigError} from '../errors';
import {urlPasswords} from './secrets';
import {isMapping, renderPath} from './yaml-input';

export type Env = Record<string, string | undefined>;

type Interpolation = {fileName: string; env: Env; publicNames: ReadonlySet<string>; secrets: string[]};

// `$${` is a literal `${`; a `${` that starts no valid reference is a mistake.
const reference = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$\{/g;

export function publicNames(data: Record<string, unknown>): Set<string> {
	const listed = data['publicEnv'];
	return new Set(Array.isArray(listed) ? listed.filter(name => typeof name === 'string') : []);
}

export function interpolateSettings(data: Record<string, unknown>, context: Interpolation): Record<string, unknown> {
	// publicEnv names variables rather than reading them.
	return Object.fromEntries(
		Object.entries(data).map(([key, value]) => [key, key === 'publicEnv' ? value : interpolate(value, [key], context)]),
	);
}

function interpolate(value: unknown, at: PropertyKey[], context: Interpolation): unknown {
	if (typeof value === 'string') return interpolateText(value, at, context);
	if (Array.isArray(value)) return value.map((item, index) => interpolate(item, [...at, index], context));
	if (isMapping(value)) {
		return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolate(item, [...at, key], context)]));
	}
	return value;
}

function interpolateText(text: string, at: PropertyKey[], context: Interpolation): string {
	const result = text.replace(reference, (match, name: string | undefined) => {
		if (match === '$${') return '${';
		if (name === undefined) {
			throw new ConfigError(context.fileName, `${renderPath(at)}: expected \${NAME} after "\${" (write $\${ for a literal \${)`);
		}
		const value = context.env[name];
		if (value === undefined) {
			throw new ConfigError(context.fileName, `\${${name}} is not set in the environment (at ${renderPath(at)})`);
		}
		if (!context.publicNames.has(name)) context.secrets.push(value);
		return value;
	});
	// A password written in a URL is a secret even when written literally.
	context.secrets.push(...urlPasswords(result));
	return result;
}
