/**
 * (b) Bytes written to the terminal per second by the idle console at 120×40
 * on a declared incident, the clock ticking once a second.
 */
import {consoleEnv, dataDirWithIncident, median, sleep, startConsole} from './harness';

type Second = {bytes: number; data: string; changedRows: Array<{row: number; text: string}>};

export type IdleResult = {
	incremental: boolean;
	seconds: number;
	bytes: number;
	bytesPerSecond: number;
	perSecond: number[];
	/** The second whose byte count is the median: what one clock tick costs. */
	typical: Second;
	/** How often each screen row changed over the window, e.g. {0: 10}. */
	rowChanges: Record<number, number>;
};

const cols = 120;
const rows = 40;

export async function measureIdle(options: {incremental: boolean; seconds?: number; settleMs?: number}): Promise<IdleResult> {
	const seconds = options.seconds ?? 10;
	const dataDir = dataDirWithIncident();
	const env = consoleEnv(options.incremental ? {} : {WARROOM_INCREMENTAL: '0'});
	const running = startConsole({cols, rows, args: ['--data-dir', dataDir], env});

	let counting = false;
	let current = {bytes: 0, data: ''};
	running.pty.onData(data => {
		if (!counting) return;
		current.bytes += Buffer.byteLength(data, 'utf8');
		current.data += data;
	});

	try {
		await running.shown;
		await sleep(options.settleMs ?? 2_000);
		// The clock ticks just after each wall-clock second: count from half-way
		// through a second, so each one-second bucket holds exactly one tick.
		await sleep(1_500 - (Date.now() % 1000));
		let before = await running.screenRows();
		const start = Date.now();
		counting = true;
		const buckets: Second[] = [];
		for (let second = 1; second <= seconds; second++) {
			await sleep(start + second * 1000 - Date.now());
			const finished = current;
			current = {bytes: 0, data: ''};
			const after = await running.screenRows();
			const changedRows = after.flatMap((text, row) => (text === before[row] ? [] : [{row, text}]));
			buckets.push({...finished, changedRows});
			before = after;
		}
		counting = false;
		const elapsed = (Date.now() - start) / 1000;
		const perSecond = buckets.map(bucket => bucket.bytes);
		const bytes = perSecond.reduce((sum, value) => sum + value, 0);
		const typicalBytes = median(perSecond);
		const typical = buckets.reduce((best, bucket) =>
			Math.abs(bucket.bytes - typicalBytes) < Math.abs(best.bytes - typicalBytes) ? bucket : best,
		);
		const rowChanges: Record<number, number> = {};
		for (const bucket of buckets) for (const {row} of bucket.changedRows) rowChanges[row] = (rowChanges[row] ?? 0) + 1;
		return {
			incremental: options.incremental,
			seconds: elapsed,
			bytes,
			bytesPerSecond: bytes / elapsed,
			perSecond,
			typical,
			rowChanges,
		};
	} finally {
		await running.stop();
	}
}
