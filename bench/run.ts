/**
 * `npm run bench`: (a) cold start of the bundled console on four paths (an
 * open incident, with a config, with 20,000 events, a drill) against
 * `node -e 0`, (b) bytes per second the idle console writes with incremental rendering on
 * and off, (d) the database time one refresh of the Database panel costs a
 * PostgreSQL server with 500 connections, against pg_activity's, and its wall
 * time. A table for people, then one JSON line for machines.
 *
 *   node --import tsx bench/run.ts [--runs 10] [--seconds 10] [--verbose]
 */
import {existsSync} from 'node:fs';
import {parseArgs} from 'node:util';
import {bundle, cleanUp, table} from './harness';
import {measureIdle, type IdleResult} from './idle';
import {measurePostgres, postgresJson, postgresReport} from './postgres';
import {measureStartup} from './startup';

const targets = {startupRatio: 3.5, idleBytesPerSecond: 300};

const {values: args} = parseArgs({
	options: {
		runs: {type: 'string', default: '10'},
		seconds: {type: 'string', default: '10'},
		verbose: {type: 'boolean', default: false},
	},
});
const runs = Math.max(3, Number(args.runs));
const seconds = Math.max(10, Number(args.seconds));
const say = (text = '') => process.stdout.write(`${text}\n`);
const ms = (value: number) => `${value.toFixed(1)} ms`;
const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');

if (!existsSync(bundle)) {
	process.stderr.write(`bench: ${bundle} is missing; run node scripts/build.mjs first\n`);
	process.exit(2);
}

// ---------------------------------------------------------------- (a)

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

// ---------------------------------------------------------------- (b)

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
describe(on, 2_000);
describe(off, 700);
say();

// ---------------------------------------------------------------- (d)

say(`(d) PostgreSQL 15, 500 connections, 50 of them waiting on locks: warroom and pg_activity refreshing side by side`);
const database = await measurePostgres({seconds});
say(postgresReport(database));
say();

// ---------------------------------------------------------------- JSON

const round = (value: number, places = 1) => Number(value.toFixed(places));
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
say(
	JSON.stringify({
		startup: {
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
		},
		idle: {
			incrementalOn: idleJson(on),
			incrementalOff: idleJson(off),
			target: targets.idleBytesPerSecond,
			ok: idleOk,
		},
		postgres: postgresJson(database),
	}),
);
cleanUp();
