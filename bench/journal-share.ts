/**
 * (g) The shared journal: consoles on one PostgreSQL store, each the built
 * binary in its own pseudo-terminal and data directory, while writers in
 * this process append notes at a steady total rate. For every note and every
 * console: the time from its commit (the append resolving in the writer) to
 * its text on that console's screen. Beside it, the append's own latency,
 * against the file journal's taken at the same rate in the same run, and the
 * CPU of the store's server processes, of each console, and of this process
 * (the writers and the terminals it emulates share the machine's cores).
 */
import {spawnSync} from 'node:child_process';
import {readFileSync, writeFileSync} from 'node:fs';
import {availableParallelism} from 'node:os';
import {join} from 'node:path';
import {monitorEventLoopDelay} from 'node:perf_hooks';
import xterm from '@xterm/headless';
import * as pty from 'node-pty';
import {incidentStoreGrants, incidentsDatabase, startPostgres, type PostgresServer} from '../test/helpers/postgres-server';
import {bundle, consoleEnv, max, sleep, table, tempDir} from './harness';
// Imported first: it registers the loader that reads the journal's schema as text, which postgres-journal imports.
import {percentile} from './journal-append';
import {cpuSeconds, sampleCpu} from './proc';

const [{PostgresJournal}, {FileJournal}, {newEvent}] = await Promise.all([
	import('../source/incident/postgres-journal'),
	import('../source/incident/file-journal'),
	import('../source/incident/events'),
]);

export const journalTargets = {screenP99Ms: 250, appendP99Ms: 20};

/**
 * The console's size by default, its timeline zoomed to fill it: 55 notes on
 * screen, over a second of them at 50/s, so a console that lags by less than
 * that cannot scroll a note by between two frames (one that does is timed by
 * `passedAt`). The bridge's 80×24 shows 19.
 */
export type ShareScreen = {cols: number; rows: number};
export const defaultShareScreen: ShareScreen = {cols: 100, rows: 60};

/** 4 focuses the Timeline, Enter zooms it to the whole screen. */
const zoomTimeline = ['4', '\r'];

/** How long a note may take to reach a screen before it counts as missed. */
const missedAfterMs = 10_000;

type Percentiles = {p50: number; p99: number};

export type JournalShareResult = {
	consoles: number;
	/** As sent: the schedule's, unless this process fell behind it. */
	eventsPerSecond: number;
	events: number;
	sendingSeconds: number;
	/**
	 * Commit → screen, over every (note, console) pair; `passed`: pairs whose
	 * note scrolled by unseen, timed to the first frame with a note committed
	 * after it; `missed`: neither within 10 s, left out of the figures.
	 */
	screen: Percentiles & {max: number; passed: number; missed: number};
	append: {postgres: Percentiles; file: Percentiles};
	/** Percent of one core while the notes were sent. */
	cpu: {store: number; consoleMean: number; consoleMax: number; bench: number};
	/** This process's event-loop delay while the notes were sent: part of every latency it times. */
	benchLoopDelayMs: Percentiles;
	/** Frames each console drew a second, on average, while the notes were sent. */
	framesPerSecond: number;
	/** /proc/loadavg's 1-minute figure before and right after the run. */
	load: {before: number; after: number};
};

const percentiles = (values: number[]): Percentiles => ({p50: percentile(values, 0.5), p99: percentile(values, 0.99)});
const total = ({own, children}: {own: number; children: number}) => own + children;
const loadAverage = () => Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);

/** The server's postmaster: the parent of every backend, so its CPU sample counts all server processes. */
async function postmasterPid(server: PostgresServer): Promise<number> {
	const client = await server.session('admin', 'bench');
	try {
		// Read while the backend runs: it exits with its session.
		return parentPid(await server.pidOf(client));
	} finally {
		await client.end();
	}
}

function parentPid(pid: number): number {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	// Field 4 (ppid), counted after the command name's closing parenthesis.
	return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/** An empty store as an administrator sets one up: `warroom db migrate` (the built binary), then the README's grants. */
function migrate(server: PostgresServer, config: string): Promise<unknown> {
	const result = spawnSync(process.execPath, [bundle, 'db', 'migrate', '--config', config], {
		env: consoleEnv({WARROOM_DB_URL: server.url('admin', {database: incidentsDatabase})}),
		encoding: 'utf8',
	});
	if (result.status !== 0) throw new Error(`warroom db migrate failed (${result.status}): ${result.stderr}`);
	return server.asAdmin(incidentsDatabase, incidentStoreGrants);
}

type Waiter = {test: (rows: string[]) => boolean; resolve: (at: number) => void};

/**
 * A console that reports when each awaited screen first shows: at the
 * arrival of the bytes that complete a whole frame (no synchronized update
 * open) for which the awaited test holds. `onFrame` sees every whole frame.
 */
function watchingConsole(
	nodeArgs: string[],
	args: string[],
	env: Record<string, string>,
	{cols, rows}: ShareScreen,
	onFrame: (rows: string[], at: number) => void,
) {
	const child = pty.spawn(process.execPath, [...nodeArgs, bundle, ...args], {name: 'xterm-256color', cols, rows, env});
	const exited = new Promise<void>(resolve => child.onExit(() => resolve()));
	const screen = new xterm.Terminal({cols, rows, allowProposedApi: true, scrollback: 0});
	const awaited = new Set<Waiter>();
	const screenRows = () =>
		Array.from({length: rows}, (_, row) => screen.buffer.active.getLine(row)?.translateToString(true) ?? '');
	// Ink ends each frame's synchronized update (DECRST 2026): counted as the terminal parses it, however the bytes were split.
	let frames = 0;
	screen.parser.registerCsiHandler({prefix: '?', final: 'l'}, params => {
		if (params.includes(2026)) frames++;
		return false;
	});
	child.onData(data => {
		const arrived = performance.now();
		screen.write(data, () => {
			if (screen.modes.synchronizedOutputMode) return;
			const shown = screenRows();
			onFrame(shown, arrived);
			for (const waiter of awaited)
				if (waiter.test(shown)) {
					awaited.delete(waiter);
					waiter.resolve(arrived);
				}
		});
	});
	return {
		pid: child.pid,
		/** Frames drawn so far. */
		frames: () => frames,
		/** When a screen for which `test` holds is first shown (performance.now()), or undefined after `timeoutMs`. */
		shows(test: (rows: string[]) => boolean, timeoutMs: number): Promise<number | undefined> {
			return new Promise(resolve => {
				const waiter: Waiter = {
					test,
					resolve(at) {
						clearTimeout(timer);
						resolve(at);
					},
				};
				const timer = setTimeout(() => {
					awaited.delete(waiter);
					resolve(undefined);
				}, timeoutMs);
				awaited.add(waiter);
			});
		},
		screen: () => screenRows().join('\n'),
		press: (key: string) => child.write(key),
		/** Ends it as a terminal closing would (SIGTERM: a profile it was asked for is written), SIGKILL after 2 s. */
		async stop() {
			child.kill('SIGTERM');
			const hard = setTimeout(() => child.kill('SIGKILL'), 2_000);
			await exited;
			clearTimeout(hard);
			screen.dispose();
		},
	};
}

const showing = (text: string) => (rows: string[]) => rows.some(row => row.includes(text));
/** The Timeline zoomed: its frame is the first panel's, under the two header lines. */
const timelineZoomed = (rows: string[]) => /^[┌╔][─═] 4 Timeline /.test(rows[2] ?? '');

/**
 * The note a writer appends: fixed width, so no marker is a prefix of another
 * and one cut short on screen matches none.
 */
export const noteMarker = (index: number) => `bench-m${String(index).padStart(5, '0')}`;
const markerPattern = /bench-m\d{5}/g;

/** A whole frame's time and the notes on it. */
type Frame = {at: number; markers: string[]};

/**
 * When a note never on a console's screen was passed there: the first frame
 * showing a note committed after it (a higher seq; the writers' markers are
 * not in commit order), so the console had it, but it scrolled by between two
 * frames. Undefined: the console never got that far.
 */
export function passedAt(frames: readonly Frame[], seqOf: ReadonlyMap<string, number>, seq: number): number | undefined {
	return frames.find(frame => frame.markers.some(marker => (seqOf.get(marker) ?? 0) > seq))?.at;
}

export async function measureJournalShare(options: {
	consoles: number;
	eventsPerSecond: number;
	seconds: number;
	say: (text: string) => void;
	/** Shows the first console's screen at the end: what the markers were found on. */
	verbose?: boolean;
	/** Where each console writes a V8 CPU profile (node --cpu-prof) when it ends. */
	profileDir?: string;
	screen?: ShareScreen;
}): Promise<JournalShareResult> {
	const shareScreen = options.screen ?? defaultShareScreen;
	const server = await startPostgres({settings: {max_connections: 200}});
	const consoles: Array<ReturnType<typeof watchingConsole>> = [];
	const writers: Array<InstanceType<typeof PostgresJournal>> = [];
	try {
		// The url comes from the environment, as the README shows: the password is in no file.
		const config = join(tempDir(), 'warroom.yaml');
		writeFileSync(config, 'incidents:\n  store: postgres\n  url: ${WARROOM_DB_URL}\n');
		await migrate(server, config);
		const url = server.url('writer', {database: incidentsDatabase});
		for (let index = 0; index < 4; index++) writers.push(new PostgresJournal({url}));
		// Short enough for the Timeline's row at 80 columns, where the console is ready once it shows.
		const title = 'Share bench';
		const {id} = await writers[0]!.create(newEvent.declared({title, severity: 'P2', services: []}));
		// Connected and checked before the clock starts, as a running console is.
		await Promise.all(writers.map(writer => writer.read(id)));

		const env = consoleEnv({WARROOM_DB_URL: url});
		const profiling = options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : [];
		const frameLogs = Array.from({length: options.consoles}, (): Frame[] => []);
		for (const log of frameLogs) {
			const logFrame = (rows: string[], at: number) => {
				const markers = rows.join('\n').match(markerPattern);
				if (markers) log.push({at, markers});
			};
			consoles.push(watchingConsole(profiling, ['--config', config, '--data-dir', tempDir()], env, shareScreen, logFrame));
		}
		const ready = await Promise.all(consoles.map(one => one.shows(showing(title), 60_000)));
		const late = ready.indexOf(undefined);
		if (late >= 0) throw new Error(`a console did not show the incident within 60 s; its screen:\n${consoles[late]!.screen()}`);
		const zoomed = consoles.map(one => one.shows(timelineZoomed, 30_000));
		for (const one of consoles) for (const key of zoomTimeline) one.press(key);
		const unzoomed = (await Promise.all(zoomed)).indexOf(undefined);
		if (unzoomed >= 0)
			throw new Error(`a console did not zoom its timeline within 30 s; its screen:\n${consoles[unzoomed]!.screen()}`);
		options.say(`  ${options.consoles} consoles at ${shareScreen.cols}×${shareScreen.rows} show ${id}`);

		const file = new FileJournal({dir: tempDir(), actor: 'bench'});
		const {id: fileIncident} = await file.create(newEvent.declared({title: 'file', severity: 'P2', services: []}));
		const events = Math.round(options.eventsPerSecond * options.seconds);
		const intervalMs = 1000 / options.eventsPerSecond;
		const appendMs: number[] = [];
		const fileAppendMs: number[] = [];
		const seqOf = new Map<string, number>();
		const notes: Array<{seq: number; committed: number; sightings: Array<number | undefined>}> = [];
		const sent: Array<Promise<void>> = [];
		// One after another, off the schedule: a slow fsync neither delays the notes nor overlaps the next.
		let fileAppends = Promise.resolve();
		const postmaster = await postmasterPid(server);
		const loadBefore = loadAverage();
		const storeBefore = sampleCpu(postmaster);
		const consolesBefore = consoles.map(one => sampleCpu(one.pid));
		const framesBefore = consoles.map(one => one.frames());
		const benchBefore = process.cpuUsage();
		// The writers time their appends on this loop: a delayed loop adds to every append it times. At 1 ms resolution, as (e).
		const loopDelay = monitorEventLoopDelay({resolution: 1});
		loopDelay.enable();
		const started = performance.now();
		for (let index = 0; index < events; index++) {
			const wait = started + index * intervalMs - performance.now();
			if (wait > 0) await sleep(wait);
			const marker = noteMarker(index);
			const writer = writers[index % writers.length]!;
			// Watched before the append starts: a console cannot show it before it is awaited.
			const watched = consoles.map(one => one.shows(showing(marker), missedAfterMs));
			sent.push(
				(async () => {
					const before = performance.now();
					const {seq} = await writer.append(id, newEvent.note(marker));
					const committed = performance.now();
					appendMs.push(committed - before);
					seqOf.set(marker, seq);
					notes.push({seq, committed, sightings: await Promise.all(watched)});
				})(),
			);
			fileAppends = fileAppends.then(async () => {
				const before = performance.now();
				await file.append(fileIncident, newEvent.note(marker));
				fileAppendMs.push(performance.now() - before);
			});
		}
		// The load's window: from the first note to the last sent.
		const sendingSeconds = (performance.now() - started) / 1000;
		loopDelay.disable();
		const loadAfter = loadAverage();
		const percentOfCore = (seconds: number) => (100 * seconds) / sendingSeconds;
		const benchUsage = process.cpuUsage(benchBefore);
		const storeCpu = percentOfCore(total(cpuSeconds(storeBefore, sampleCpu(postmaster))));
		const frames = consoles.reduce((sum, one, index) => sum + one.frames() - framesBefore[index]!, 0);
		const consolesCpu = consoles.map((one, index) =>
			percentOfCore(total(cpuSeconds(consolesBefore[index]!, sampleCpu(one.pid)))),
		);
		await Promise.all([...sent, fileAppends]);
		const screenMs: number[] = [];
		let passed = 0;
		let missed = 0;
		for (const {seq, committed, sightings} of notes)
			sightings.forEach((seen, index) => {
				const at = seen ?? passedAt(frameLogs[index]!, seqOf, seq);
				if (at === undefined) {
					missed++;
					return;
				}
				if (seen === undefined) passed++;
				// A console may hear the NOTIFY before the writer hears its commit: that is no wait at all.
				screenMs.push(Math.max(0, at - committed));
			});
		if (options.verbose) options.say(`  the first console's screen at the end:\n${consoles[0]!.screen()}`);
		return {
			consoles: options.consoles,
			eventsPerSecond: events / sendingSeconds,
			events,
			sendingSeconds,
			screen: {...percentiles(screenMs), max: max(screenMs), passed, missed},
			append: {postgres: percentiles(appendMs), file: percentiles(fileAppendMs)},
			cpu: {
				store: storeCpu,
				consoleMean: consolesCpu.reduce((sum, one) => sum + one, 0) / consolesCpu.length,
				consoleMax: max(consolesCpu),
				bench: percentOfCore((benchUsage.user + benchUsage.system) / 1e6),
			},
			framesPerSecond: frames / options.consoles / sendingSeconds,
			benchLoopDelayMs: {p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6},
			load: {before: loadBefore, after: loadAfter},
		};
	} finally {
		await Promise.all(consoles.map(one => one.stop()));
		await Promise.all(writers.map(writer => writer.close()));
		await server.close();
	}
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const core = (value: number) => `${value.toFixed(1)}% of a core`;

export function journalShareReport(result: JournalShareResult): string {
	const screenOk = result.screen.p99 <= journalTargets.screenP99Ms && result.screen.missed === 0;
	const appendOk = result.append.postgres.p99 <= journalTargets.appendP99Ms;
	return [
		table([
			['', 'p50', 'p99', 'target'],
			[
				`commit → screen, ${result.consoles} consoles × ${result.events} notes`,
				ms(result.screen.p50),
				ms(result.screen.p99),
				`p99 ≤ ${journalTargets.screenP99Ms} ms ${screenOk ? 'ok' : 'MISSED'}`,
			],
			[
				'append, PostgreSQL store',
				ms(result.append.postgres.p50),
				ms(result.append.postgres.p99),
				`p99 ≤ ${journalTargets.appendP99Ms} ms ${appendOk ? 'ok' : 'MISSED'}`,
			],
			['append, file journal (fsync, same rate)', ms(result.append.file.p50), ms(result.append.file.p99), ''],
		]),
		`  slowest note to a screen ${ms(result.screen.max)}; (note, console) pairs: ${result.screen.passed} scrolled by ` +
			`between two frames (timed to the first frame with a later note), ${result.screen.missed} not on screen within ${missedAfterMs / 1000} s`,
		`  ${result.eventsPerSecond.toFixed(1)} notes/s as sent; CPU over those ${result.sendingSeconds.toFixed(1)} s: store (postmaster + backends) ${core(result.cpu.store)}; ` +
			`each console ${core(result.cpu.consoleMean)} mean, ${core(result.cpu.consoleMax)} max, ` +
			`${result.framesPerSecond.toFixed(1)} frames/s, ${((result.cpu.consoleMean * 10) / result.framesPerSecond).toFixed(1)} ms CPU a frame; ` +
			`this process (writers, file journal, ${result.consoles} terminal emulators) ${core(result.cpu.bench)}, ` +
			`its event-loop delay p50 ${ms(result.benchLoopDelayMs.p50)}, p99 ${ms(result.benchLoopDelayMs.p99)}`,
		`  load average (1 min) ${result.load.before.toFixed(2)} before, ${result.load.after.toFixed(2)} after, on ${availableParallelism()} cores`,
	].join('\n');
}

export const journalShareJson = (result: JournalShareResult) => {
	const round = (value: number) => Number(value.toFixed(1));
	return {
		consoles: result.consoles,
		eventsPerSecond: round(result.eventsPerSecond),
		events: result.events,
		screenMs: {p50: round(result.screen.p50), p99: round(result.screen.p99), max: round(result.screen.max)},
		passed: result.screen.passed,
		missed: result.screen.missed,
		appendMs: {
			postgres: {p50: round(result.append.postgres.p50), p99: round(result.append.postgres.p99)},
			file: {p50: round(result.append.file.p50), p99: round(result.append.file.p99)},
		},
		cpuPercent: {
			store: round(result.cpu.store),
			consoleMean: round(result.cpu.consoleMean),
			consoleMax: round(result.cpu.consoleMax),
			bench: round(result.cpu.bench),
		},
		framesPerSecond: round(result.framesPerSecond),
		benchLoopDelayMs: {p50: round(result.benchLoopDelayMs.p50), p99: round(result.benchLoopDelayMs.p99)},
		loadAverage: result.load,
		targets: journalTargets,
		ok:
			result.screen.p99 <= journalTargets.screenP99Ms &&
			result.screen.missed === 0 &&
			result.append.postgres.p99 <= journalTargets.appendP99Ms,
	};
};
