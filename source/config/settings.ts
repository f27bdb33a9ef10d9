/**
 * What every subcommand needs from the command line, the environment and
 * the config: where the journal is, who is acting, which policy applies.
 * The YAML parser and the validators load only when there is YAML to read:
 * a plain start reads the policy the build compiled.
 */
import {existsSync} from 'node:fs';
import {homedir, hostname, userInfo} from 'node:os';
import {join, resolve} from 'node:path';
import {defaultKubernetes, defaultLongQueryMs, emptyConfig, type Config} from './types';
import type {Policy} from '../incident/policy';
import type {Playbook} from '../incident/playbook';
import {compiledPlaybooks, compiledRunbook} from './compiled-runbooks';
import {findInRunbooks} from './runbook-dirs';
import {builtInRunbooksDir} from '../paths';
import {createRedactor, urlPasswords} from './secrets';

export type GlobalFlags = {config?: string; dataDir?: string};

export type Settings = {
	config: Config;
	dataDir: string;
	/** The config's runbook directories, later ones first, then the built-in one. */
	runbookDirs: string[];
	policy: Policy;
	actor: string;
	redact: (text: string) => string;
};

/** `user@host`, as the journal records who did what. */
function currentActor(): string {
	let user = 'unknown';
	try {
		user = userInfo().username;
	} catch {
		// No passwd entry (some containers): the host still says where it came from.
	}
	return `${user}@${hostname()}`;
}

async function readConfig(flags: GlobalFlags, env: NodeJS.ProcessEnv, cwd: string): Promise<Config> {
	if (!flags.config && !existsSync(join(cwd, 'warroom.yaml'))) return emptyConfig;
	const {loadConfig} = await import('./load');
	return loadConfig({...(flags.config ? {path: flags.config} : {}), cwd, env});
}

/**
 * DESIGN.md: an omitted `kubernetes:` section reads kubectl's current
 * context in every namespace — when kubectl has a kubeconfig to read
 * (KUBECONFIG, or ~/.kube/config). Without one the source stays off.
 */
export function withDefaultCluster(config: Config, env: NodeJS.ProcessEnv, home: string): Config {
	if (config.kubernetes || (!env.KUBECONFIG && !existsSync(join(home, '.kube', 'config')))) return config;
	return {...config, kubernetes: defaultKubernetes};
}

async function readPolicy(runbookDirs: readonly string[]): Promise<Policy> {
	const file = findInRunbooks(runbookDirs, 'severity.yaml');
	if (!file) throw new Error(`no severity.yaml in ${runbookDirs.join(', ')}`);
	const compiled = compiledRunbook<Policy>(file);
	if (compiled) return compiled;
	const {loadPolicy} = await import('../incident/policy-file');
	return loadPolicy(file);
}

/**
 * The built-in playbooks as the build compiled them; else every playbook read
 * from YAML, checked (a directory of your own, or an edit since the build).
 * Read only by what shows them (the console, `runbooks`): a broken playbook
 * never stops `note`, `snapshot` or `doctor` in the middle of an incident.
 */
export async function readPlaybooks(runbookDirs: readonly string[]): Promise<Playbook[]> {
	if (runbookDirs.length === 1 && runbookDirs[0] === builtInRunbooksDir) {
		const compiled = compiledPlaybooks();
		if (compiled) return compiled;
	}
	const [{loadPlaybooks}, {reservedKeys}] = await Promise.all([import('../incident/playbook-file'), import('../actions/keys')]);
	return loadPlaybooks(runbookDirs, reservedKeys());
}

/**
 * The database from the environment: DATABASE_URL turns it on when the
 * config says nothing of it (no section, or one without a url); libpq's
 * PG* variables alone do not, so a console started anywhere never tries a
 * local server unasked. Its password, and PGPASSWORD, are masked like the
 * config's secrets.
 */
export function withDatabaseFromEnv(config: Config, env: NodeJS.ProcessEnv): Config {
	const url = config.postgres?.url ?? env.DATABASE_URL;
	const postgres = config.postgres ?? (url === undefined ? undefined : {longQueryMs: defaultLongQueryMs});
	const secrets = [...urlPasswords(url ?? ''), ...(postgres && env.PGPASSWORD ? [env.PGPASSWORD] : [])];
	return {
		...config,
		...(postgres ? {postgres: {...postgres, ...(url === undefined ? {} : {url})}} : {}),
		secrets: [...config.secrets, ...secrets.flatMap(secret => [secret, safeDecode(secret)])],
	};
}

/**
 * The incident store's password (its URL's, else PGPASSWORD when the store
 * is PostgreSQL), masked like the monitored database's.
 */
export function withIncidentStoreSecrets(config: Config, env: NodeJS.ProcessEnv): Config {
	const {store, url} = config.incidents;
	if (store !== 'postgres') return config;
	const secrets = [...urlPasswords(url ?? ''), ...(env.PGPASSWORD ? [env.PGPASSWORD] : [])];
	return {...config, secrets: [...config.secrets, ...secrets.flatMap(secret => [secret, safeDecode(secret)])]};
}

/** A URL's password as the server gets it: percent-decoded. */
function safeDecode(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}

export async function loadSettings(flags: GlobalFlags, env: NodeJS.ProcessEnv, cwd: string): Promise<Settings> {
	const config = withDefaultCluster(
		withIncidentStoreSecrets(withDatabaseFromEnv(await readConfig(flags, env, cwd), env), env),
		env,
		env.HOME ?? homedir(),
	);
	const runbookDirs = [...[...config.runbooks.dirs].reverse(), builtInRunbooksDir];
	return {
		config,
		dataDir: resolve(cwd, flags.dataDir ?? env.WARROOM_DATA_DIR ?? config.incidents.dir ?? 'incidents'),
		runbookDirs,
		policy: await readPolicy(runbookDirs),
		actor: currentActor(),
		redact: createRedactor(config.secrets),
	};
}
