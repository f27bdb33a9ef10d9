/**
 * `npm run bench`: (a) cold start of the bundled console on four paths (an
 * open incident, with a config, with 20,000 events, a drill) against
 * `node -e 0`, (b) bytes per second the idle console writes with incremental rendering on
 * and off, (c) the Pods panel on a 10,000-pod cluster through the real
 * kubectl: time to the first panel against kubectl alone, CPU and memory
 * while 1% of the pods change a minute (watched, then polled), the time of
 * one redraw, (d) the database time one refresh of the Database panel costs
 * a PostgreSQL server with 500 connections, against pg_activity's, and its
 * wall time, (e) the console's CPU and event-loop delay running 200 health
 * checks, (f) 8 writers appending to one incident in PostgreSQL (row lock
 * against unique + retry) and in the file journal, (g) consoles on one shared
 * PostgreSQL store while notes arrive at a steady rate: commit → screen, the
 * append against the file journal's, the store's CPU, (h) what one note
 * costs a console's desk refresh on a journal of 200 past incidents × 50
 * events. A table for people, then one JSON line for machines.
 *
 *   node --import tsx bench/run.ts [--runs 10] [--seconds 10] [--pods 10000] [--kube-runs 3]
 *     [--kube-seconds 60] [--only startup,idle,kubernetes,postgres,health,journal-append,journal-share,journal-refresh]
 *     [--consoles 20] [--rate 50] [--share-seconds 20] [--share-size 100x60] [--share-profile DIR] [--verbose]
 */
import {existsSync, readFileSync} from 'node:fs';
import {register} from 'node:module';
import {parseArgs} from 'node:util';
import {bundle, cleanUp, max, median, min, table} from './harness';
import {measureHealth} from './health';
import {measureIdle, type IdleResult} from './idle';
import {measureKubernetes, type SteadyState} from './kubernetes';
import {measurePostgres, postgresJson, postgresReport} from './postgres';
import {journalLoad, measureJournalAppend, percentile} from './journal-append';
import {measureJournalRefresh, refreshLoad} from './journal-refresh';
import {journalShareJson, journalShareReport, measureJournalShare} from './journal-share';
import {measureStartup} from './startup';

const targets = {
	startupRatio: 3.5,
	idleBytesPerSecond: 300,
	firstPanelRatio: 2,
	steadyCpuPercent: 5,
	rssMb: 300,
	frameMs: 16,
	healthLoopP99Ms: 20,
	healthCpuShare: 0.1,
};

const {values: args} = parseArgs({
	options: {
		runs: {type: 'string', default: '10'},
		seconds: {type: 'string', default: '10'},
		pods: {type: 'string', default: '10000'},
		'kube-runs': {type: 'string', default: '3'},
		'kube-seconds': {type: 'string', default: '60'},
		only: {type: 'string', default: 'startup,idle,kubernetes,postgres,health,journal-append,journal-share,journal-refresh'},
		consoles: {type: 'string', default: '20'},
		rate: {type: 'string', default: '50'},
		'share-seconds': {type: 'string', default: '20'},
		'share-profile': {type: 'string'},
		'share-size': {type: 'string', default: '100x60'},
		verbose: {type: 'boolean', default: false},
	},
});
const runs = Math.max(3, Number(args.runs));
const seconds = Math.max(10, Number(args.seconds));
const sections = new Set(args.only.split(','));
const say = (text = '') => process.stdout.write(`${text}\n`);
const ms = (value: number) => `${value.toFixed(1)} ms`;
const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');

if (!existsSync(bundle)) {
	process.stderr.write(`bench: ${bundle} is missing; run node scripts/build.mjs first\n`);
	process.exit(2);
}

const round = (value: number, places = 1) => Number(value.toFixed(places));

// ---------------------------------------------------------------- (a)

async function startupSection() {
	say(`(a) cold start at 80×24 to what the start is for, ${runs} interleaved rounds (after 2 warm-ups)`);
	const startup = await measureStartup(runs, 2, args.verbose ? say : undefined);
	say(
		table([
			['', 'median', 'min', 'max', 'ratio', `target ≤ ${targets.startupRatio}`],
			['node -e 0 (spawn → exit)', ms(startup.node.median), ms(startup.node.min), ms(startup.node.max), '1.00', ''],
			...startup.paths.map(path => [
				`${path.description} (spawn → ${path.name === 'drill' ? 'first frame' : 'incident shown'})`,
				ms(path.times.median),
				ms(path.times.min),
				ms(path.times.max),
				path.ratio.toFixed(2),
				verdict(path.ratio <= targets.startupRatio),
			]),
		]),
	);
	const startupOk = startup.paths.every(path => path.ratio <= targets.startupRatio);
	say('ratio: the median against the median of node -e 0 in the same rounds');
	say();
	return {
		runs: startup.runs,
		nodeMedianMs: round(startup.node.median),
		nodeMinMs: round(startup.node.min),
		nodeMaxMs: round(startup.node.max),
		paths: Object.fromEntries(
			startup.paths.map(path => [
				path.name,
				{
					medianMs: round(path.times.median),
					minMs: round(path.times.min),
					maxMs: round(path.times.max),
					ratio: round(path.ratio, 2),
				},
			]),
		),
		target: targets.startupRatio,
		ok: startupOk,
	};
}

// ---------------------------------------------------------------- (b)

/** `\u001b[E\u001b[E\u001b[E` → `\u001b[E×3`, so a whole frame fits on a few lines. */
const collapseRuns = (escaped: string) =>
	escaped.replace(/((?:\\u001b\[[0-9;?]*[A-Za-z]){1,2}?)\1{2,}/g, (run, unit: string) => `${unit}×${run.length / unit.length}`);

/** Bytes of an update by kind: what is drawn, colours, and cursor moves. */
function composition(data: string): string {
	const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
	let sgr = 0;
	let cursor = 0;
	let other = 0;
	const text = data.replace(/\u001B\[[0-?]*[ -/]*[@-~]/g, sequence => {
		if (sequence.endsWith('m')) sgr += bytes(sequence);
		else if (/[A-HJKf]$/.test(sequence)) cursor += bytes(sequence);
		else other += bytes(sequence);
		return '';
	});
	return `text ${bytes(text)} B (of it CR/LF ${bytes(text.replace(/[^\r\n]/g, ''))}), colours ${sgr} B, cursor moves/erases ${cursor} B, other escapes ${other} B`;
}

const describe = (result: IdleResult, limit: number) => {
	const mode = result.incremental ? 'on' : 'off';
	const rowsChanged = Object.entries(result.rowChanges)
		.map(([row, count]) => `row ${row} (${count}/${result.perSecond.length} s)`)
		.join(', ');
	say(
		`a typical one-second update, incremental ${mode}: ${result.typical.bytes} bytes; screen rows changed: ${rowsChanged || 'none'}`,
	);
	for (const {row, text} of result.typical.changedRows)
		say(`  row ${String(row).padStart(2)} now: ${JSON.stringify(text.trimEnd())}`);
	say(`  made of: ${composition(result.typical.data)}`);
	const escaped = collapseRuns(JSON.stringify(result.typical.data));
	say(
		`  written (runs collapsed as ×N): ${escaped.length > limit ? `${escaped.slice(0, limit)}… (${escaped.length - limit} more characters)` : escaped}`,
	);
};

const idleJson = (result: IdleResult) => ({
	bytesPerSecond: round(result.bytesPerSecond),
	bytes: result.bytes,
	seconds: round(result.seconds, 3),
	perSecond: result.perSecond,
	rowChanges: result.rowChanges,
	// A whole frame when incremental rendering is off: its start is enough to see what it is.
	typicalSecond: result.incremental ? result.typical.data : `${result.typical.data.slice(0, 300)}…`,
	typicalSecondBytes: result.typical.bytes,
});

async function idleSection() {
	say(`(b) idle output at 120×40 on a declared P1 incident, ${seconds} s counted after the first frame + 2 s`);
	const on = await measureIdle({incremental: true, seconds});
	const off = await measureIdle({incremental: false, seconds});
	say(
		table([
			['', 'bytes/s', 'bytes', 'seconds', 'per second (min–max)'],
			...[on, off].map(result => [
				`incremental ${result.incremental ? 'on (default)' : 'off (WARROOM_INCREMENTAL=0)'}`,
				result.bytesPerSecond.toFixed(0),
				String(result.bytes),
				result.seconds.toFixed(2),
				`${Math.min(...result.perSecond)}–${Math.max(...result.perSecond)}`,
			]),
		]),
	);
	const idleOk = on.bytesPerSecond <= targets.idleBytesPerSecond;
	say(
		`incremental on: ${on.bytesPerSecond.toFixed(0)} B/s (target ≤ ${targets.idleBytesPerSecond}: ${verdict(idleOk)}); ` +
			`off / on: ${(off.bytesPerSecond / on.bytesPerSecond).toFixed(1)}×`,
	);
	say();
	describe(on, 2_000);
	describe(off, 700);
	say();
	return {incrementalOn: idleJson(on), incrementalOff: idleJson(off), target: targets.idleBytesPerSecond, ok: idleOk};
}

// ---------------------------------------------------------------- (c)

const percent = (value: number) => `${value.toFixed(2)} %`;
const cpuTime = (value: number) => `${value.toFixed(2)} s`;
const mb = (value: number) => `${value.toFixed(0)} MB`;
/** The watch is replaced by a fresh list this often (source/sources/kubernetes/collector.ts). */
const resyncSeconds = 300;
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

async function kubernetesSection() {
	const pods = Number(args.pods);
	const kubeRuns = Math.max(1, Number(args['kube-runs']));
	const kubeSeconds = Math.max(10, Number(args['kube-seconds']));
	const loadBefore = load();
	say(`(c) the Pods panel on ${pods} pods at 120×40, 1% of them changing a minute; load average ${loadBefore} (1, 5, 15 min)`);
	const result = await measureKubernetes({pods, runs: kubeRuns, seconds: kubeSeconds, log: args.verbose ? say : undefined});
	const kubectl = median(result.kubectl);
	const firstPanel = median(result.firstPanel);
	const firstPanelRatio = firstPanel / kubectl;
	const cpuRatio = median(result.cpu.console) / median(result.cpu.kubectl);
	say(
		`${result.pods} pods (${result.unhealthy} listed, ${result.healthy} healthy counted), ` +
			`${result.listMb.toFixed(0)} MB as kubectl -o json prints them, served 500 a page; ` +
			`read every 30 s beside them: ${result.details.deployments} deployments, ${result.details.replicaSets} ReplicaSets, ` +
			`${result.details.warnings} warnings, metrics of ${result.details.metrics} pods (${result.details.mb.toFixed(0)} MB)`,
	);
	say(
		table([
			['', 'median', 'min', 'max', 'ratio', `target ≤ ${targets.firstPanelRatio}`],
			['kubectl get pods -A -o json alone', ms(kubectl), ms(min(result.kubectl)), ms(max(result.kubectl)), '1.00', ''],
			[
				'console: spawn → the full Pods panel',
				ms(firstPanel),
				ms(min(result.firstPanel)),
				ms(max(result.firstPanel)),
				firstPanelRatio.toFixed(2),
				verdict(firstPanelRatio <= targets.firstPanelRatio),
			],
			[
				'CPU time: kubectl alone',
				cpuTime(median(result.cpu.kubectl)),
				cpuTime(min(result.cpu.kubectl)),
				cpuTime(max(result.cpu.kubectl)),
				'1.00',
				'',
			],
			[
				'CPU time: console and its kubectl, to the panel',
				cpuTime(median(result.cpu.console)),
				cpuTime(min(result.cpu.console)),
				cpuTime(max(result.cpu.console)),
				cpuRatio.toFixed(2),
				verdict(cpuRatio <= targets.firstPanelRatio),
			],
		]),
	);
	say(`${kubeRuns} interleaved rounds after one kubectl that fills its discovery cache`);
	const steadyRow = (state: SteadyState, name: string) => [
		name,
		percent(state.consolePercent),
		verdict(state.consolePercent <= targets.steadyCpuPercent),
		percent(state.kubectlPercent),
		mb(state.rssMb),
		mb(state.peakMb),
		verdict(state.peakMb <= targets.rssMb),
		state.watch ? mb(state.kubectlPeakMb) : '',
		`${state.changes} in ${state.seconds.toFixed(0)} s`,
		`${state.secondsShowingChange}/${state.samples}`,
	];
	say(
		table([
			[
				'',
				'console CPU',
				`≤ ${targets.steadyCpuPercent} %`,
				'kubectl CPU',
				'RSS',
				'peak RSS',
				`≤ ${targets.rssMb} MB`,
				'kubectl peak',
				'changes',
				'seconds showing one',
			],
			steadyRow(result.watched, 'watch (default)'),
			steadyRow(result.polled, 'polling (watch: false)'),
		]),
	);
	say(
		'CPU: utime+stime from /proc as % of one core over the window; kubectl: the watch (or every list) the console ran; ' +
			'peak RSS: VmHWM since start; seconds showing one: sampled seconds whose screen showed a pod the churn broke',
	);
	const relist = result.watched.relist!;
	const amortized = (cpuSeconds: number) => percent((cpuSeconds / resyncSeconds) * 100);
	say(
		`one relist (r, and the watch's resync every ${resyncSeconds / 60} min): ${relist.seconds.toFixed(1)} s, ` +
			`console ${relist.consoleCpuSeconds.toFixed(1)} s CPU, kubectl ${relist.kubectlCpuSeconds.toFixed(1)} s CPU; ` +
			`spread over the ${resyncSeconds / 60} min: console ${amortized(relist.consoleCpuSeconds)}, kubectl ${amortized(relist.kubectlCpuSeconds)}`,
	);
	// The bundle is built with React's production build: the redraw is timed with the same.
	process.env.NODE_ENV = 'production';
	register('./sql-as-text.mjs', import.meta.url);
	const {measureFrames} = await import('./pods-frame');
	const frames = await measureFrames({pods, updates: 200});
	const spreadRow = (name: string, spread: {p50: number; p95: number; max: number}, target?: number) => [
		name,
		ms(spread.p50),
		ms(spread.p95),
		ms(spread.max),
		target === undefined ? '' : verdict(spread.p95 <= target),
	];
	say(
		table([
			['one pod changes: in process, 200 updates', 'p50', 'p95', 'max', `p95 ≤ ${targets.frameMs} ms`],
			spreadRow(`classify the ${pods} pods into a reading`, frames.classify),
			spreadRow(`redraw the screen (${frames.frameLines} lines), wall clock`, frames.frame, targets.frameMs),
			spreadRow('the same redraws, CPU time of the process', frames.frameCpu, targets.frameMs),
		]),
	);
	const loadAfter = load();
	say(`load average after: ${loadAfter}`);
	say();
	const steadyJson = (state: SteadyState) => ({
		consoleCpuPercent: round(state.consolePercent, 2),
		kubectlCpuPercent: round(state.kubectlPercent, 2),
		rssMb: round(state.rssMb),
		peakRssMb: round(state.peakMb),
		kubectlPeakRssMb: round(state.kubectlPeakMb),
		seconds: round(state.seconds),
		changes: state.changes,
		secondsShowingChange: state.secondsShowingChange,
	});
	const spreadJson = (spread: {p50: number; p95: number; max: number}) => ({
		p50: round(spread.p50, 2),
		p95: round(spread.p95, 2),
		max: round(spread.max, 2),
	});
	return {
		pods: result.pods,
		listMb: round(result.listMb),
		details: {...result.details, mb: round(result.details.mb)},
		loadAverage: {before: loadBefore, after: loadAfter},
		kubectlMs: result.kubectl.map(value => round(value)),
		firstPanelMs: result.firstPanel.map(value => round(value)),
		firstPanelRatio: round(firstPanelRatio, 2),
		kubectlCpuSeconds: result.cpu.kubectl.map(value => round(value, 2)),
		firstPanelCpuSeconds: result.cpu.console.map(value => round(value, 2)),
		watch: steadyJson(result.watched),
		polling: steadyJson(result.polled),
		relist: {
			seconds: round(relist.seconds),
			consoleCpuSeconds: round(relist.consoleCpuSeconds, 2),
			kubectlCpuSeconds: round(relist.kubectlCpuSeconds, 2),
		},
		classifyMs: spreadJson(frames.classify),
		frameMs: spreadJson(frames.frame),
		frameCpuMs: spreadJson(frames.frameCpu),
		targets: {
			firstPanelRatio: targets.firstPanelRatio,
			cpuPercent: targets.steadyCpuPercent,
			rssMb: targets.rssMb,
			frameMs: targets.frameMs,
		},
		ok:
			firstPanelRatio <= targets.firstPanelRatio &&
			result.watched.consolePercent <= targets.steadyCpuPercent &&
			result.watched.peakMb <= targets.rssMb &&
			frames.frame.p95 <= targets.frameMs,
	};
}

// ---------------------------------------------------------------- (d)

async function postgresSection() {
	say(`(d) PostgreSQL 15, 500 connections, 50 of them waiting on locks: warroom and pg_activity refreshing side by side`);
	const database = await measurePostgres({seconds});
	say(postgresReport(database));
	say();
	return postgresJson(database);
}

// ---------------------------------------------------------------- (e)

async function healthSection() {
	const counted = Math.max(20, seconds);
	say(`(e) 200 health checks every 5 s against servers on 127.0.0.1, ${counted} s counted after 15 s`);
	const health = await measureHealth({seconds: counted});
	const ok = health.loopDelayMs.p99 <= targets.healthLoopP99Ms && health.cpuShare <= targets.healthCpuShare;
	say(
		`event-loop delay p50 ${ms(health.loopDelayMs.p50)}, p99 ${ms(health.loopDelayMs.p99)} (target ≤ ${targets.healthLoopP99Ms} ms), max ${ms(health.loopDelayMs.max)}; ` +
			`CPU ${(health.cpuShare * 100).toFixed(1)}% of a core (target ≤ ${targets.healthCpuShare * 100}%): ${verdict(ok)}; ${health.failing} shown failing`,
	);
	say();
	return {...health, targets: {loopP99Ms: targets.healthLoopP99Ms, cpuShare: targets.healthCpuShare}, ok};
}

// ---------------------------------------------------------------- (f)

async function journalAppendSection() {
	const {writers, appends} = journalLoad;
	say(`(f) ${writers} writers × ${appends} appends on one incident at once (PostgreSQL: the tests' server, fsync off)`);
	const results = await measureJournalAppend();
	say(
		table([
			['', 'total', 'appends/s', 'p50', 'p99', 'retries'],
			...results.map(result => [
				result.name,
				ms(result.totalMs),
				((writers * appends) / (result.totalMs / 1000)).toFixed(0),
				ms(percentile(result.latenciesMs, 0.5)),
				ms(percentile(result.latenciesMs, 0.99)),
				result.retries === undefined ? '' : String(result.retries),
			]),
		]),
	);
	say();
	return results.map(({name, totalMs, latenciesMs, retries}) => ({
		name,
		totalMs: round(totalMs),
		p50Ms: round(percentile(latenciesMs, 0.5), 2),
		p99Ms: round(percentile(latenciesMs, 0.99), 2),
		...(retries === undefined ? {} : {retries}),
	}));
}

// ---------------------------------------------------------------- (g)

/** `COLSxROWS`, e.g. 80x24: the consoles' terminal. */
function shareSize(text: string): {cols: number; rows: number} {
	const match = /^(\d+)x(\d+)$/.exec(text);
	if (!match || Number(match[1]) < 80 || Number(match[2]) < 24)
		throw new Error(`--share-size takes COLSxROWS of at least 80x24, got "${text}"`);
	return {cols: Number(match[1]), rows: Number(match[2])};
}

async function journalShareSection() {
	const consoles = Math.max(1, Number(args.consoles));
	const eventsPerSecond = Math.max(1, Number(args.rate));
	const shareSeconds = Math.max(1, Number(args['share-seconds']));
	say(
		`(g) ${consoles} consoles on one PostgreSQL store (the tests' server, fsync off), ${eventsPerSecond} notes/s in total for ${shareSeconds} s`,
	);
	const result = await measureJournalShare({
		consoles,
		eventsPerSecond,
		seconds: shareSeconds,
		say,
		verbose: args.verbose,
		profileDir: args['share-profile'],
		screen: shareSize(args['share-size']),
	});
	say(journalShareReport(result));
	say();
	return journalShareJson(result);
}

// ---------------------------------------------------------------- (h)

async function journalRefreshSection() {
	const {incidents, eventsEach, notes} = refreshLoad;
	say(`(h) one desk refreshing after each of ${notes} notes, on ${incidents} incidents × ${eventsEach} events`);
	const results = await measureJournalRefresh();
	say(
		table([
			['', 'p50', 'p99', 'queries/refresh', 'reads/refresh'],
			...results.map(result => [
				result.name,
				ms(percentile(result.refreshMs, 0.5)),
				ms(percentile(result.refreshMs, 0.99)),
				result.queriesPerRefresh === undefined ? '' : result.queriesPerRefresh.toFixed(1),
				result.readsPerRefresh.toFixed(1),
			]),
		]),
	);
	say("queries: statements the desk's role ran on the server (pg_stat_statements); reads: Journal.read calls");
	say();
	return results.map(({name, refreshMs, queriesPerRefresh, readsPerRefresh}) => ({
		name,
		refreshes: refreshMs.length,
		p50Ms: round(percentile(refreshMs, 0.5), 2),
		p99Ms: round(percentile(refreshMs, 0.99), 2),
		...(queriesPerRefresh === undefined ? {} : {queriesPerRefresh: round(queriesPerRefresh, 2)}),
		readsPerRefresh: round(readsPerRefresh, 2),
	}));
}

// ---------------------------------------------------------------- JSON

const report: Record<string, unknown> = {};
if (sections.has('startup')) report.startup = await startupSection();
if (sections.has('idle')) report.idle = await idleSection();
if (sections.has('kubernetes')) report.kubernetes = await kubernetesSection();
if (sections.has('postgres')) report.postgres = await postgresSection();
if (sections.has('health')) report.health = await healthSection();
if (sections.has('journal-append')) report.journalAppend = await journalAppendSection();
if (sections.has('journal-refresh')) report.journalRefresh = await journalRefreshSection();
if (sections.has('journal-share')) report.journalShare = await journalShareSection();
say(JSON.stringify(report));
cleanUp();
