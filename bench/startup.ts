/**
 * (a) Cold start: spawn → first full frame of the console at 80×24, against
 * spawn → exit of `node -e 0`, interleaved so machine noise hits both alike.
 */
import {consoleEnv, max, median, min, startConsole, tempDir, timeProcess} from './harness';

export type StartupResult = {
	runs: number;
	nodeMs: number[];
	consoleMs: number[];
	node: {median: number; min: number; max: number};
	console: {median: number; min: number; max: number};
	ratio: number;
};

export const timeNodeNothing = (env: Record<string, string>) => timeProcess(process.execPath, ['-e', '0'], env);

/** Spawn → first full frame at 80×24; `file` runs another build than dist/warroom.js. */
export async function timeConsole(dataDir: string, env: Record<string, string>, file?: string, nodeArgs?: string[]): Promise<number> {
	const started = performance.now();
	const running = startConsole({cols: 80, rows: 24, dataDir, env, ...(file ? {file} : {}), ...(nodeArgs ? {nodeArgs} : {})});
	try {
		return (await running.firstFrame) - started;
	} finally {
		await running.stop();
	}
}

export async function measureStartup(runs = 15, warmUps = 2, log: (line: string) => void = () => {}): Promise<StartupResult> {
	const env = consoleEnv();
	const dataDir = tempDir();
	// Warm the page cache (node, the bundle) without counting it.
	for (let i = 0; i < warmUps; i++) {
		await timeNodeNothing(env);
		await timeConsole(dataDir, env);
	}
	const nodeMs: number[] = [];
	const consoleMs: number[] = [];
	for (let i = 0; i < runs; i++) {
		nodeMs.push(await timeNodeNothing(env));
		consoleMs.push(await timeConsole(dataDir, env));
		log(`  run ${String(i + 1).padStart(2)}: node -e 0 ${nodeMs.at(-1)!.toFixed(1)} ms, console ${consoleMs.at(-1)!.toFixed(1)} ms`);
	}
	const summary = (values: number[]) => ({median: median(values), min: min(values), max: max(values)});
	return {
		runs,
		nodeMs,
		consoleMs,
		node: summary(nodeMs),
		console: summary(consoleMs),
		ratio: median(consoleMs) / median(nodeMs),
	};
}
