/**
 * What every subcommand needs from the command line, the environment and
 * the config: where the journal is, who is acting, which policy applies.
 */
import {existsSync} from 'node:fs';
import {hostname, userInfo} from 'node:os';
import {join, resolve} from 'node:path';
import {loadConfig, type Config} from './config';
import {loadPolicy, type Policy} from './incident/policy';
import {builtInRunbooksDir} from './paths';
import {createRedactor} from './secrets';

export type GlobalFlags = {config?: string; dataDir?: string};

export type Settings = {
	config: Config;
	dataDir: string;
	/** The built-in runbooks and the config's own, later ones first. */
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

export function loadSettings(flags: GlobalFlags, env: NodeJS.ProcessEnv, cwd: string): Settings {
	const config = loadConfig({...(flags.config ? {path: flags.config} : {}), cwd, env});
	const dataDir = resolve(cwd, flags.dataDir ?? env.WARROOM_DATA_DIR ?? config.incidents.dir ?? 'incidents');
	const runbookDirs = [...[...config.runbooks.dirs].reverse(), builtInRunbooksDir];
	const policyFile = runbookDirs.map(dir => join(dir, 'severity.yaml')).find(file => existsSync(file))!;
	return {
		config,
		dataDir,
		runbookDirs,
		policy: loadPolicy(policyFile),
		actor: currentActor(),
		redact: createRedactor(config.secrets),
	};
}
