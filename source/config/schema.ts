/**
 * What warroom.yaml may hold, as a zod schema whose messages name the place
 * and what was expected; health checks come out as one of the four kinds.
 */
import * as z from 'zod/mini';
import {toSingleLine} from '../text/sanitize';
import {defaultDamping, defaultKubernetes, defaultLongQueryMs, defaultWarnDays, webhookMoments, type HealthCheck} from './types';
import {describe, duration, section} from './yaml-input';

const text = z.string().check(z.minLength(1, 'expected a non-empty string'));
// A check's name is shown: cleaned before it is checked, so that two names the
// same once cleaned are duplicates and one of only control characters is empty.
const shownName = z.pipe(z.pipe(z.string(), z.transform(toSingleLine)), text);

// A namespace is a DNS label (RFC 1123): checked here, so no name from the config reaches kubectl's argv unchecked.
const dnsLabel = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const namespace = z.string().check(
	z.regex(dnsLabel, {
		error: issue =>
			`expected a Kubernetes namespace like shop-prod (lower-case letters, digits and -), got ${describe(issue.input)}`,
	}),
);

/** A regular expression, checked here so that a bad one is a config error naming its place, not a crash. */
const pattern = z.string().check(
	z.refine(
		source => {
			try {
				new RegExp(source, 'i');
				return true;
			} catch {
				return false;
			}
		},
		{error: issue => `expected a regular expression like prod|live, got ${describe(issue.input)}`},
	),
);

const checkKinds = ['http', 'tls', 'tcp', 'command'] as const;

const httpStatus = z
	.number('expected an HTTP status like 200')
	.check(
		z.int('expected an HTTP status like 200'),
		z.gte(100, 'expected a status from 100 to 599'),
		z.lte(599, 'expected a status from 100 to 599'),
	);
const timesInARow = z
	.number('expected a number of results in a row, like 2')
	.check(z.int('expected a whole number'), z.gte(1, 'expected 1 or more'));
const exactlyOneKind = `expected exactly one of ${checkKinds.join(', ')}`;

const rawCheck = section({
	name: shownName,
	http: z.optional(z.string()),
	tls: z.optional(z.string()),
	tcp: z.optional(z.string()),
	// An argument list, never a shell line.
	command: z.optional(
		z
			.array(text, {
				error: issue =>
					issue.code === 'invalid_type' && issue.expected === 'array'
						? `expected a list like [program, argument, …], got ${describe(issue.input)}`
						: undefined,
			})
			.check(z.minLength(1, 'expected at least the program to run')),
	),
	headers: z.optional(z.record(z.string(), z.string())),
	method: z.optional(z.string().check(z.regex(/^[A-Z]+$/, 'expected an HTTP method like GET or HEAD'))),
	expectStatus: z.optional(z.union([httpStatus, z.array(httpStatus).check(z.minLength(1, 'expected at least one status'))])),
	bodyContains: z.optional(text),
	followRedirects: z.optional(z.boolean('expected true or false')),
	sni: z.optional(text),
	ca: z.optional(text),
	warnDays: z.optional(z.number().check(z.int('expected a whole number of days'), z.nonnegative('expected 0 or more days'))),
	cwd: z.optional(text),
	env: z.optional(z.record(z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected a variable name')), z.string())),
	failAfter: z._default(timesInARow, defaultDamping.failAfter),
	recoverAfter: z._default(timesInARow, defaultDamping.recoverAfter),
	timeout: duration(3000),
	interval: duration(10_000),
});

// The keys that only one kind of check takes.
const kindOnly = {
	headers: 'http',
	method: 'http',
	expectStatus: 'http',
	bodyContains: 'http',
	followRedirects: 'http',
	sni: 'tls',
	ca: 'tls',
	warnDays: 'tls',
	cwd: 'command',
	env: 'command',
} as const;

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
	if (checkKinds.filter(kind => raw[kind] !== undefined).length > 1) return fail([], exactlyOneKind);
	for (const [key, kind] of Object.entries(kindOnly))
		if (raw[key as keyof typeof kindOnly] !== undefined && raw[kind] === undefined)
			return fail([key], `only ${kind} checks take ${key}`);
	const common = {
		name: raw.name,
		timeoutMs: raw.timeout,
		intervalMs: raw.interval,
		damping: {failAfter: raw.failAfter, recoverAfter: raw.recoverAfter},
	};
	if (raw.http !== undefined) {
		if (!isHttpUrl(raw.http)) return fail(['http'], `expected an http:// or https:// URL, got ${describe(raw.http)}`);
		return {
			...common,
			kind: 'http',
			target: {url: raw.http},
			headers: raw.headers ?? {},
			method: raw.method ?? 'GET',
			expectStatus: raw.expectStatus === undefined ? [] : [raw.expectStatus].flat(),
			...(raw.bodyContains === undefined ? {} : {bodyContains: raw.bodyContains}),
			followRedirects: raw.followRedirects ?? true,
		};
	}
	if (raw.tls !== undefined) {
		const target = hostPort(raw.tls, 443);
		if (!target) return fail(['tls'], `expected host or host:port, got ${describe(raw.tls)}`);
		return {
			...common,
			kind: 'tls',
			target,
			...(raw.sni === undefined ? {} : {sni: raw.sni}),
			...(raw.ca === undefined ? {} : {ca: raw.ca}),
			warnDays: raw.warnDays ?? defaultWarnDays,
		};
	}
	if (raw.tcp !== undefined) {
		const target = hostPort(raw.tcp);
		return target ? {...common, kind: 'tcp', target} : fail(['tcp'], `expected host:port, got ${describe(raw.tcp)}`);
	}
	if (raw.command !== undefined)
		return {
			...common,
			kind: 'command',
			target: {argv: raw.command},
			...(raw.cwd === undefined ? {} : {cwd: raw.cwd}),
			env: raw.env ?? {},
		};
	return fail([], exactlyOneKind);
}

const healthCheck = z.pipe(
	rawCheck,
	z.transform((raw: RawCheck, context) =>
		toHealthCheck(raw, (at, message) => {
			context.issues.push({code: 'custom', path: at, message, input: raw});
			return z.NEVER;
		}),
	),
);

const health = z.array(healthCheck).check(
	z.superRefine((checks, context) => {
		const firstIndex = new Map<string, number>();
		checks.forEach((check, index) => {
			const first = firstIndex.get(check.name);
			if (first === undefined) firstIndex.set(check.name, index);
			else
				context.addIssue({
					code: 'custom',
					path: [index, 'name'],
					message: `duplicate name "${check.name}" (also health[${first}])`,
				});
		});
	}),
);

const httpUrl = z
	.string()
	.check(z.refine(isHttpUrl, {error: issue => `expected an http:// or https:// URL, got ${describe(issue.input)}`}));

const oneOfWords = <const T extends readonly [string, ...string[]]>(words: T) =>
	z.enum(words, {error: issue => `expected one of ${words.join(', ')}, got ${describe(issue.input)}`});

const webhook = section({
	name: shownName,
	url: httpUrl,
	format: oneOfWords(['slack', 'json']),
	on: z._default(z.array(oneOfWords(webhookMoments)).check(z.minLength(1, 'expected at least one moment')), [...webhookMoments]),
});

const notify = section({
	pagerduty: z.optional(section({routingKey: text, url: z.optional(httpUrl)})),
	webhooks: z._default(
		z.array(webhook).check(
			z.superRefine((hooks, context) => {
				hooks.forEach((hook, index) => {
					const first = hooks.findIndex(other => other.name === hook.name);
					if (first < index || hook.name === 'pagerduty')
						context.addIssue({
							code: 'custom',
							path: [index, 'name'],
							message:
								hook.name === 'pagerduty'
									? 'the name "pagerduty" is PagerDuty\'s'
									: `duplicate name "${hook.name}" (also webhooks[${first}])`,
						});
				});
			}),
		),
		[],
	),
	timeout: duration(10_000),
});

export const configSchema = section({
	kubernetes: z.optional(
		section({
			context: z.optional(text),
			namespaces: z._default(z.array(namespace), []),
			production: z._default(pattern, defaultKubernetes.production),
			kubectl: z.optional(text),
			watch: z._default(z.boolean('expected true or false'), defaultKubernetes.watch),
		}),
	),
	postgres: z.optional(section({url: z.optional(text), longQuery: duration(defaultLongQueryMs)})),
	health: z._default(health, []),
	incidents: z.prefault(
		section({dir: z.optional(text), store: z.optional(oneOfWords(['file', 'postgres'])), url: z.optional(text)}).check(
			z.superRefine((incidents, context) => {
				if (incidents.url !== undefined && incidents.store !== 'postgres')
					context.addIssue({code: 'custom', path: ['url'], message: 'a url is for store: postgres (the store is file)'});
			}),
		),
		{},
	),
	runbooks: z.prefault(section({dirs: z._default(z.array(text), [])}), {}),
	contacts: z._default(z.array(section({role: text, primary: text, secondary: z.optional(text)})), []),
	notify: z.optional(notify),
	publicEnv: z._default(
		z.array(z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected a variable name like KUBE_CONTEXT'))),
		[],
	),
});

export type ParsedConfig = z.output<typeof configSchema>;
