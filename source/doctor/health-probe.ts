/**
 * Whether each configured health check can run from here, as doctor asks
 * it: a command's program exists and may be run, a host's name resolves.
 * Whether the check then passes is the Health panel's business (and
 * `snapshot`'s), not a prerequisite: a check that runs and fails is the
 * outage being watched, not a broken setup.
 */
import {constants} from 'node:fs';
import fs from 'node:fs/promises';
import {lookup} from 'node:dns/promises';
import {isIP} from 'node:net';
import path from 'node:path';
import type {HealthCheck} from '../config/types';
import {errorCode, plainFailure} from '../errors';
import {whenAborted} from '../sources/health/outcome';
import type {Finding} from './finding';

/** Why a check cannot run, and the line that fixes it; or what showed it can. */
export type ProbeOutcome = {runnable: true; detail: string} | {runnable: false; problem: string; fix: string};

/** Asks whether one check can run; gives up when `signal` aborts. */
export type CheckProbe = (check: HealthCheck, signal: AbortSignal) => Promise<ProbeOutcome>;

/** The program itself (a path), else the first of that name on PATH that may be run. */
async function findProgram(program: string, env: NodeJS.ProcessEnv, cwd: string): Promise<ProbeOutcome> {
	const isPath = program.includes('/');
	const candidates = isPath
		? [path.resolve(cwd, program)]
		: (env.PATH ?? '').split(path.delimiter).flatMap(dir => (dir ? [path.join(dir, program)] : []));
	let refused: {file: string; error: unknown} | undefined;
	for (const file of candidates) {
		try {
			if (!(await fs.stat(file)).isFile()) continue;
			await fs.access(file, constants.X_OK);
			return {runnable: true, detail: `runs ${file}`};
		} catch (error) {
			if (errorCode(error) !== 'ENOENT') refused ??= {file, error};
		}
	}
	if (refused)
		return {
			runnable: false,
			problem: `${refused.file} cannot be run: ${plainFailure(refused.error)}`,
			fix: `chmod +x ${refused.file}`,
		};
	return {
		runnable: false,
		problem: isPath ? `${program} not found` : `${program} not found on PATH`,
		fix: isPath
			? `correct the path in warroom.yaml, or install it there`
			: `install ${program}, or give its full path in warroom.yaml`,
	};
}

/** The host a network check connects to (never its URL, which may carry a password). */
function hostOf(check: Exclude<HealthCheck, {kind: 'command'}>): string {
	if (check.kind !== 'http') return check.target.host;
	return new URL(check.target.url).hostname.replace(/^\[(.*)\]$/, '$1');
}

async function resolveHost(host: string, signal: AbortSignal): Promise<ProbeOutcome> {
	if (isIP(host)) return {runnable: true, detail: `connects to ${host}`};
	try {
		// A lookup cannot be cancelled: the race leaves it to finish on its own.
		const {address} = await Promise.race([lookup(host), whenAborted(signal)]);
		return {runnable: true, detail: `${host} resolves to ${address}`};
	} catch (error) {
		const why = signal.aborted ? 'no answer from the resolver in time' : plainFailure(error);
		return {
			runnable: false,
			problem: `cannot resolve ${host}: ${why}`,
			fix: `correct the name in warroom.yaml, or the resolver (getent hosts ${host})`,
		};
	}
}

/**
 * Asks without running the check: the runner's outcome (run-check.ts) says
 * only that a check failed, not whether it could start, which is all doctor
 * asks.
 */
export function probeCheck(env: NodeJS.ProcessEnv, cwd: string): CheckProbe {
	return (check, signal) =>
		check.kind === 'command' ? findProgram(check.target.argv[0]!, env, cwd) : resolveHost(hostOf(check), signal);
}

/** One finding per configured check, each probed within its own timeout; none configured: one line saying so. */
export async function healthFindings(checks: readonly HealthCheck[], probe: CheckProbe): Promise<Finding[]> {
	if (checks.length === 0)
		return [{check: 'health checks', status: 'skipped', detail: 'none in warroom.yaml: the Health panel stays empty'}];
	return Promise.all(
		checks.map(async check => {
			const outcome = await probe(check, AbortSignal.timeout(check.timeoutMs));
			const name = `health check ${check.name}`;
			return outcome.runnable
				? {check: name, status: 'ok' as const, detail: `${check.kind}: ${outcome.detail}`}
				: {check: name, status: 'missing' as const, detail: `${check.kind}: ${outcome.problem}`, fix: outcome.fix};
		}),
	);
}
