/**
 * `warroom.yaml` → a validated, normalised Config. Every mistake in the file
 * becomes one ConfigError line naming the file, the place in it and what was
 * expected, so `warroom` can print it and exit 2. Values read from the
 * environment (and credentials written in the file) are collected as secrets
 * for the redactor.
 */
import {existsSync} from 'node:fs';
import path from 'node:path';
import {z} from 'zod';
import {createRedactor, urlPasswords} from './secrets';
import type {Config, HealthCheck} from './types';
import {InputError} from '../errors';
import {cleanStrings, toSingleLine} from '../text/sanitize';
import {describe, describeInvalidType, duration, formatIssue, readInputFile, readYaml, renderPath, section, shortenEchoes} from './yaml-input';

type Env = Record<string, string | undefined>;

/** A mistake in the config file; the message is one line a user can act on. */
export class ConfigError extends InputError {
	override name = 'ConfigError';
}

const defaultFileName = 'warroom.yaml';

/**
 * Reads the config: `options.path` when given (it must exist), else
 * `<cwd>/warroom.yaml` when there is one, else an empty config.
 */
export function loadConfig(options: {path?: string; cwd: string; env: Env}): Config {
	const fileName = options.path ?? defaultFileName;
	const file = path.resolve(options.cwd, fileName);
	const text = readConfigText(file, fileName, options.path !== undefined);
	if (text === undefined) return parseConfig('', fileName, {baseDir: options.cwd, env: options.env});
	return {...parseConfig(text, fileName, {baseDir: path.dirname(file), env: options.env}), file};
}

/** The pure part of loadConfig: `fileName` is only used in messages; paths resolve against `baseDir`. */
export function parseConfig(text: string, fileName: string, options: {baseDir: string; env: Env}): Config {
	// An empty file, or one with only comments, is an empty config.
	const data = readYaml(text, fileName, ConfigError) ?? {};
	if (!isMapping(data)) {
		throw new ConfigError(fileName, shortenEchoes(`expected a mapping of settings (key: value) at the top level, got ${describe(data)}`));
	}
	const secrets: string[] = [];
	const interpolated = interpolateSettings(data, {fileName, env: options.env, publicNames: publicNames(data), secrets});
	// Before validating: the value echoed in an error may repeat a credential from elsewhere in the file.
	secrets.push(...headerSecrets(interpolated['health']));
	const result = configSchema.safeParse(interpolated, {error: describeInvalidType});
	if (!result.success) {
		// A bad value may have come from the environment: never echo it.
		throw new ConfigError(fileName, shortenEchoes(createRedactor(secrets)(problemText(result.error.issues[0]))));
	}
	return normalise(result.data, options.baseDir, secrets);
}

/** An issue as one line; a value under a credential-like key is never shown, whatever its type. */
function problemText(issue: z.core.$ZodIssue | undefined): string {
	const text = formatIssue(issue);
	const underCredential = issue?.path.some(key => typeof key === 'string' && sensitiveHeader.test(key));
	return underCredential ? text.replace(/\bgot .*$/, 'got a value (hidden)') : text;
}

function readConfigText(file: string, fileName: string, required: boolean): string | undefined {
	if (!required && !existsSync(file)) return undefined;
	return readInputFile(file, fileName, ConfigError);
}

const isMapping = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

// --- ${NAME} interpolation -------------------------------------------------

type Interpolation = {fileName: string; env: Env; publicNames: ReadonlySet<string>; secrets: string[]};

// `$${` is a literal `${`; a `${` that starts no valid reference is a mistake.
const reference = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$\{/g;

function publicNames(data: Record<string, unknown>): Set<string> {
	const listed = data['publicEnv'];
	return new Set(Array.isArray(listed) ? listed.filter((name) => typeof name === 'string') : []);
}

function interpolateSettings(data: Record<string, unknown>, context: Interpolation): Record<string, unknown> {
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

// --- Schema ----------------------------------------------------------------

const text = z.string().min(1, 'expected a non-empty string');

const checkKinds = ['http', 'tls', 'tcp', 'command'] as const;
const exactlyOneKind = `expected exactly one of ${checkKinds.join(', ')}`;

const rawCheck = section({
	name: text,
	http: z.string().optional(),
	tls: z.string().optional(),
	tcp: z.string().optional(),
	// An argument list, never a shell line.
	command: z
		.array(text, {
			error: (issue) =>
				issue.code === 'invalid_type' && issue.expected === 'array'
					? `expected a list like [program, argument, …], got ${describe(issue.input)}`
					: undefined,
		})
		.min(1, 'expected at least the program to run')
		.optional(),
	headers: z.record(z.string(), z.string()).optional(),
	timeout: duration(3000),
	interval: duration(10_000),
});

type RawCheck = z.output<typeof rawCheck>;
type Fail = (at: PropertyKey[], message: string) => never;

function isHttpUrl(text: string): boolean {
	try {
		return ['http:', 'https:'].includes(new URL(text).protocol);
	} catch {
		return false;
	}
}

// `host`, `host:port`, `[v6]:port`.
const address = /^(?:\[([^\]]+)\]|([^\s:[\]]+))(?::(\d+))?$/;

function hostPort(text: string, defaultPort?: number): {host: string; port: number} | undefined {
	const match = address.exec(text.trim());
	const host = match?.[1] ?? match?.[2];
	const port = match?.[3] === undefined ? defaultPort : Number(match[3]);
	if (host === undefined || port === undefined || port < 1 || port > 65_535) return undefined;
	return {host, port};
}

function toHealthCheck(raw: RawCheck, fail: Fail): HealthCheck {
	if (checkKinds.filter((kind) => raw[kind] !== undefined).length > 1) return fail([], exactlyOneKind);
	if (raw.headers !== undefined && raw.http === undefined) return fail(['headers'], 'only http checks take headers');
	const common = {name: raw.name, timeoutMs: raw.timeout, intervalMs: raw.interval};
	if (raw.http !== undefined) {
		if (!isHttpUrl(raw.http)) return fail(['http'], `expected an http:// or https:// URL, got ${describe(raw.http)}`);
		return {...common, kind: 'http', target: {url: raw.http}, headers: raw.headers ?? {}};
	}
	if (raw.tls !== undefined) {
		const target = hostPort(raw.tls, 443);
		return target ? {...common, kind: 'tls', target} : fail(['tls'], `expected host or host:port, got ${describe(raw.tls)}`);
	}
	if (raw.tcp !== undefined) {
		const target = hostPort(raw.tcp);
		return target ? {...common, kind: 'tcp', target} : fail(['tcp'], `expected host:port, got ${describe(raw.tcp)}`);
	}
	if (raw.command !== undefined) return {...common, kind: 'command', target: {argv: raw.command}};
	return fail([], exactlyOneKind);
}

const healthCheck = rawCheck.transform((raw, context) =>
	toHealthCheck(raw, (at, message) => {
		context.addIssue({code: 'custom', path: at, message});
		return z.NEVER;
	}),
);

const health = z.array(healthCheck).superRefine((checks, context) => {
	const firstIndex = new Map<string, number>();
	checks.forEach((check, index) => {
		const first = firstIndex.get(check.name);
		if (first === undefined) firstIndex.set(check.name, index);
		else context.addIssue({code: 'custom', path: [index, 'name'], message: `duplicate name "${check.name}" (also health[${first}])`});
	});
});

const configSchema = section({
	kubernetes: section({context: text.optional(), namespaces: z.array(text).default([])}).optional(),
	postgres: section({url: text.optional(), longQuery: duration(5 * 60_000)}).optional(),
	health: health.default([]),
	incidents: section({dir: text.optional()}).prefault({}),
	runbooks: section({dirs: z.array(text).default([])}).prefault({}),
	contacts: z.array(section({role: text, primary: text, secondary: text.optional()})).default([]),
	publicEnv: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected a variable name like KUBE_CONTEXT')).default([]),
});

type ParsedConfig = z.output<typeof configSchema>;

// --- Normalising -----------------------------------------------------------

const sensitiveHeader = /authorization|token|key|secret|cookie|password/i;
// `Bearer abc…`: the credential alone may be echoed too, e.g. by a server's error.
const schemeAndCredential = /^[A-Za-z][\w-]*\s+(\S+)$/;

/** Credential headers as written, read before validation: a header of the wrong type is still a secret. */
function headerSecrets(health: unknown): string[] {
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

function normalise(parsed: ParsedConfig, baseDir: string, secrets: readonly string[]): Config {
	const {kubernetes, postgres, incidents, runbooks} = parsed;
	return {
		...(kubernetes && {kubernetes}),
		...(postgres && {postgres: {url: postgres.url, longQueryMs: postgres.longQuery}}),
		// Names and contacts are shown; URLs, headers and commands are used as written.
		health: parsed.health.map(check => ({...check, name: toSingleLine(check.name)})),
		incidents: {dir: incidents.dir === undefined ? undefined : path.resolve(baseDir, incidents.dir)},
		runbooks: {dirs: runbooks.dirs.map((dir) => path.resolve(baseDir, dir))},
		contacts: cleanStrings(parsed.contacts),
		publicEnv: parsed.publicEnv,
		secrets: [...new Set(secrets)].filter((secret) => secret !== ''),
	};
}
