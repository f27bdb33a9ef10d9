/**
 * What every benchmark needs: the console in a pseudo-terminal, temp dirs and
 * children that are cleaned up however the benchmark ends, and small stats.
 */
import {spawn, spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import xterm from '@xterm/headless';
import * as pty from 'node-pty';

const root = resolve(import.meta.dirname, '..');
export const bundle = join(root, 'dist', 'warroom.js');

// ---------------------------------------------------------------- clean-up

const children = new Set<{kill(signal?: string): void}>();
const tempDirs = new Set<string>();

export function tempDir(): string {
	const dir = mkdtempSync(join(tmpdir(), 'warroom-bench-'));
	tempDirs.add(dir);
	return dir;
}

export function cleanUp(): void {
	for (const child of children) {
		try {
			child.kill('SIGKILL');
		} catch {
			// already gone
		}
	}
	children.clear();
	for (const dir of tempDirs) rmSync(dir, {recursive: true, force: true});
	tempDirs.clear();
}

process.on('exit', cleanUp);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
	process.on(signal, () => {
		cleanUp();
		process.exit(130);
	});
}

// ---------------------------------------------------------------- environment

/** process.env without CI (with CI set Ink draws nothing), on an xterm. */
export function consoleEnv(extra: Record<string, string> = {}): Record<string, string> {
	const env: Record<string, string> = {};
	for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
	delete env.CI;
	delete env.WARROOM_INCREMENTAL;
	env.TERM = 'xterm-256color';
	return {...env, ...extra};
}

/** `warroom declare …` on a fresh data dir (or `dir`); returns the dir. */
export function dataDirWithIncident(dir = tempDir()): string {
	const result = spawnSync(
		process.execPath,
		[bundle, 'declare', '--severity', 'P1', '--title', 'Bench incident', '--data-dir', dir],
		{env: consoleEnv(), encoding: 'utf8'},
	);
	if (result.status !== 0) throw new Error(`warroom declare failed (${result.status}): ${result.stderr}`);
	return dir;
}

// ---------------------------------------------------------------- the console in a pty

/** The footer's key hints: the last line of a frame when no form or notice is up. */
export const footerShown = (screen: string[]) => screen.some(line => line.startsWith('? help'));

type Console = {
	pty: pty.IPty;
	/**
	 * Resolves with performance.now() at the arrival of the bytes that complete
	 * the first whole frame (no synchronized update open) for which `shows`
	 * holds: the time a responder would see it.
	 */
	shown: Promise<number>;
	/** The rows of the screen once every byte that has arrived is drawn on it. */
	screenRows(): Promise<string[]>;
	/** Kills the console and resolves once it has exited. */
	stop(): Promise<void>;
};

export function startConsole(options: {
	cols: number;
	rows: number;
	/** Arguments after the script, e.g. ['--data-dir', dir]. */
	args: string[];
	cwd?: string;
	env?: Record<string, string>;
	/** What the screen must show; the footer by default. */
	shows?: (screen: string[]) => boolean;
	/** How long `shown` waits for it. */
	timeoutMs?: number;
}): Console {
	const shows = options.shows ?? footerShown;
	const timeoutMs = options.timeoutMs ?? 15_000;
	const child = pty.spawn(process.execPath, [bundle, ...options.args], {
		name: 'xterm-256color',
		cols: options.cols,
		rows: options.rows,
		cwd: options.cwd ?? root,
		env: options.env ?? consoleEnv(),
	});
	children.add(child);
	let exited = false;
	const exit = new Promise<void>(resolve =>
		child.onExit(() => {
			exited = true;
			children.delete(child);
			resolve();
		}),
	);

	// The bytes go through a terminal, so "shown" means on the screen, not merely somewhere in the output.
	const screen = new xterm.Terminal({cols: options.cols, rows: options.rows, allowProposedApi: true, scrollback: 0});
	const rows = () =>
		Array.from({length: options.rows}, (_, row) => screen.buffer.active.getLine(row)?.translateToString(true) ?? '');
	const shown = new Promise<number>((resolve, reject) => {
		let settled = false;
		const finish = (outcome: () => void) => {
			if (settled) return;
			settled = true;
			clearTimeout(timeout);
			outcome();
		};
		const timeout = setTimeout(
			() =>
				finish(() =>
					reject(new Error(`not shown within ${timeoutMs / 1000} s; the screen: ${JSON.stringify(rows().join('\n').trim())}`)),
				),
			timeoutMs,
		);
		child.onData(data => {
			const arrived = performance.now();
			screen.write(data, () => {
				if (!settled && !screen.modes.synchronizedOutputMode && shows(rows())) finish(() => resolve(arrived));
			});
		});
		void exit.then(() =>
			finish(() => reject(new Error(`the console exited before it was shown: ${JSON.stringify(rows().join('\n').trim())}`))),
		);
	});
	shown.catch(() => {}); // reported by whoever awaits it
	void exit.then(() => screen.dispose());

	return {
		pty: child,
		shown,
		screenRows: () => new Promise(resolve => screen.write('', () => resolve(rows()))),
		async stop() {
			if (exited) return;
			child.kill('SIGTERM');
			const hard = setTimeout(() => child.kill('SIGKILL'), 2_000);
			await exit;
			clearTimeout(hard);
		},
	};
}

/** Spawn → exit of a command, in ms; rejects unless it exits 0. */
export function timeProcess(file: string, args: string[], env: Record<string, string> = consoleEnv()): Promise<number> {
	return new Promise((resolve, reject) => {
		const started = performance.now();
		const child = spawn(file, args, {stdio: 'ignore', env, cwd: root});
		child.on('error', reject);
		child.on('exit', code =>
			code === 0 ? resolve(performance.now() - started) : reject(new Error(`${[file, ...args].join(' ')} exited ${code}`)),
		);
	});
}

/** Runs each task once per round, round after round, so noise hits all alike; returns every task's times. */
export async function interleave<T extends string>(
	tasks: Array<{name: T; run: () => Promise<number>}>,
	rounds: number,
	warmUps = 1,
): Promise<Map<T, number[]>> {
	const times = new Map<T, number[]>(tasks.map(task => [task.name, []]));
	for (let round = -warmUps; round < rounds; round++) {
		for (const task of tasks) {
			const ms = await task.run();
			if (round >= 0) times.get(task.name)!.push(ms);
		}
	}
	return times;
}

// ---------------------------------------------------------------- stats

export const median = (values: number[]) => {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = sorted.length >> 1;
	return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
export const min = (values: number[]) => Math.min(...values);
export const max = (values: number[]) => Math.max(...values);
export const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** A plain text table: the first row is the heading. */
export function table(rows: string[][]): string {
	const widths = rows[0]!.map((_, column) => Math.max(...rows.map(row => (row[column] ?? '').length)));
	const line = (row: string[]) =>
		row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
	return [line(rows[0]!), widths.map(width => '-'.repeat(width)).join('  '), ...rows.slice(1).map(line)].join('\n');
}
