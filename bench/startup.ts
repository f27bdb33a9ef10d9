/**
 * (a) Cold start: spawn → first full frame of the console at 80×24, against
 * spawn → exit of `node -e 0`, interleaved so machine noise hits both alike.
 */
import {spawn} from 'node:child_process';
import {consoleEnv, max, median, min, startConsole, tempDir} from './harness';

export type StartupResult = {
	runs: number;
	nodeMs: number[];
	consoleMs: number[];
	node: {median: number; min: number; max: number};
	console: {median: number; min: number; max: number};
	ratio: number;
};

function timeNodeNothing(env: Record<string, string>): Promise<number> {
	return new Promise((resolve, reject) => {
		const started = performance.now();
		const child = spawn(process.execPath, ['-e', '0'], {stdio: 'ignore', env});
		child.on('error', reject);
		child.on('exit', code => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`node -e 0 exited ${code}`))));
	});
}

async function timeConsole(dataDir: string, env: Record<string, string>): Promise<number> {
	const started = performance.now();
	const running = startConsole({cols: 80, rows: 24, dataDir, env});
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
