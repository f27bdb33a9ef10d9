/**
 * A `command` check: an argument array (never a shell) run in its working
 * directory with its environment; exit 0 is healthy. Its last line of
 * output is the status, the whole output (its end, when long) the detail.
 * It runs in a process group of its own, so that at its timeout the whole
 * group is killed: a script's children are not left behind.
 */
import type {CommandCheck} from '../../config/types';
import {loadExeca} from '../kubernetes/kubectl';
import {elapsedMs, type CheckOutcome} from './outcome';

/** What the detail view keeps of the output: its end. */
export const outputKept = 64 * 1024;

/** The last line that says something. */
export const lastLine = (output: string) =>
	output
		.split(/\r?\n/)
		.map(line => line.trim())
		.filter(Boolean)
		.at(-1) ?? '';

/** Kills the process group `pid` leads; it may be gone already. */
function killGroup(pid: number | undefined): void {
	if (pid === undefined) return;
	try {
		process.kill(-pid, 'SIGKILL');
	} catch {
		// Gone already.
	}
}

export async function commandCheck(check: CommandCheck, signal: AbortSignal): Promise<CheckOutcome> {
	const [file = '', ...args] = check.target.argv;
	const execa = await loadExeca();
	signal.throwIfAborted();
	const started = performance.now();
	const child = execa(file, args, {
		reject: false,
		stdin: 'ignore',
		all: true,
		// Its own process group, killed whole below.
		detached: true,
		maxBuffer: 1_000_000,
		...(check.cwd === undefined ? {} : {cwd: check.cwd}),
		env: check.env,
	});
	const stop = () => killGroup(child.pid);
	signal.addEventListener('abort', stop, {once: true});
	try {
		const result = await child;
		signal.throwIfAborted();
		const latencyMs = elapsedMs(started);
		const output = typeof result.all === 'string' ? result.all.slice(-outputKept) : '';
		const last = lastLine(output);
		const detail = `${check.target.argv.join(' ')}\n${output}`;
		if (result.exitCode === 0) return {ok: true, status: last || 'exit 0', latencyMs, detail};
		const ended =
			result.exitCode !== undefined
				? `exit ${result.exitCode}`
				: (result as {code?: string}).code === 'ENOENT'
					? `not found: ${file}`
					: result.signal
						? `killed by ${result.signal}`
						: (result.shortMessage ?? 'it did not run');
		return {ok: false, status: ended, latencyMs, error: last || ended, detail: `${detail}\n${ended}`};
	} finally {
		signal.removeEventListener('abort', stop);
	}
}
