/**
 * `warroom.yaml` → a validated, normalised Config. Every mistake in the file
 * becomes one ConfigError line naming the file, the place in it and what was
 * expected, so `warroom` can print it and exit 2. Values read from the
 * environment (and credentials written in the file) are collected as secrets
 * for the redactor.
 */
import {existsSync} from 'node:fs';
import path from 'node:path';
import type * as z from 'zod/mini';
import {ConfigError} from '../errors';
import {cleanStrings} from '../text/sanitize';
import {headerSecrets, sensitiveHeader} from './credentials';
import {interpolateSettings, publicNames, type Env} from './interpolate';
import {configSchema, type ParsedConfig} from './schema';
import {createRedactor} from './secrets';
import {pagerDutyEventsUrl, type Config, type HealthCheck} from './types';
import {describe, describeInvalidType, formatIssue, isMapping, readInputFile, readYaml, shortenEchoes} from './yaml-input';

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
		throw new ConfigError(
			fileName,
			shortenEchoes(`expected a mapping of settings (key: value) at the top level, got ${describe(data)}`),
		);
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

/** A command's working directory and a certificate check's CA file, resolved against the config file's folder. */
function resolveCheckPaths(check: HealthCheck, baseDir: string): HealthCheck {
	if (check.kind === 'command' && check.cwd !== undefined) return {...check, cwd: path.resolve(baseDir, check.cwd)};
	if (check.kind === 'tls' && check.ca !== undefined) return {...check, ca: path.resolve(baseDir, check.ca)};
	return check;
}

function normalise(parsed: ParsedConfig, baseDir: string, secrets: readonly string[]): Config {
	const {kubernetes, postgres, incidents, runbooks, notify} = parsed;
	// A routing key and a webhook's URL (Slack's carries its token) are credentials, even written in the file.
	const notifySecrets = notify
		? [...(notify.pagerduty ? [notify.pagerduty.routingKey] : []), ...notify.webhooks.map(hook => hook.url)]
		: [];
	return {
		...(kubernetes && {kubernetes}),
		...(postgres && {postgres: {url: postgres.url, longQueryMs: postgres.longQuery}}),
		// Contacts are shown (check names are cleaned by the schema); URLs, headers and commands are used as written.
		health: parsed.health.map(check => resolveCheckPaths(check, baseDir)),
		incidents: {
			dir: incidents.dir === undefined ? undefined : path.resolve(baseDir, incidents.dir),
			...(incidents.store && {store: incidents.store}),
			...(incidents.url !== undefined && {url: incidents.url}),
		},
		runbooks: {dirs: runbooks.dirs.map(dir => path.resolve(baseDir, dir))},
		contacts: cleanStrings(parsed.contacts),
		...(notify && {
			notify: {
				...(notify.pagerduty && {
					pagerduty: {routingKey: notify.pagerduty.routingKey, url: notify.pagerduty.url ?? pagerDutyEventsUrl},
				}),
				webhooks: notify.webhooks,
				timeoutMs: notify.timeout,
			},
		}),
		publicEnv: parsed.publicEnv,
		secrets: [...new Set([...secrets, ...notifySecrets])].filter(secret => secret !== ''),
	};
}
