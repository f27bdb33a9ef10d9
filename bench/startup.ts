/**
 * (a) Cold start on the paths a responder takes, each timed from spawn to
 * what the start is for (the open incident's id in the header of a whole
 * frame; on a drill, its first frame), against spawn → exit of `node -e 0`,
 * all interleaved round by round so machine noise hits them alike.
 */
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {
	consoleEnv,
	dataDirWithIncident,
	footerShown,
	interleave,
	max,
	median,
	min,
	startConsole,
	tempDir,
	timeProcess,
} from './harness';

type StartupPath = {
	name: string;
	description: string;
	/** Prepares one data dir (and cwd) for every run of this path. */
	prepare(): {args: string[]; cwd?: string};
	shows(screen: string[]): boolean;
};

const incidentShown = (screen: string[]) => /^ INC-1 /.test(screen[0] ?? '') && footerShown(screen);

/** An open P1 incident of `count` events: the declaration, then notes a second apart, as the console writes them. */
function dataDirWithEvents(count: number): string {
	const dir = tempDir();
	const declaredAt = Date.now() - count * 1000 - 60_000;
	const line = (seq: number, event: object) =>
		JSON.stringify({seq, at: new Date(declaredAt + (seq - 1) * 1000).toISOString(), actor: 'bench@host', ...event});
	const lines = [line(1, {type: 'declared', title: 'Bench incident', severity: 'P1', services: ['api']})];
	for (let seq = 2; seq <= count; seq++)
		lines.push(line(seq, {type: 'note', text: `observation ${seq}: p99 latency still above 2 s on the api`}));
	writeFileSync(join(dir, 'INC-1.jsonl'), `${lines.join('\n')}\n`);
	return dir;
}

const startupPaths: StartupPath[] = [
	{
		name: 'incident',
		description: 'open incident, no config',
		prepare: () => ({args: ['--data-dir', dataDirWithIncident()]}),
		shows: incidentShown,
	},
	{
		name: 'config',
		description: 'open incident, 2-line warroom.yaml',
		// warroom.yaml in the working directory names the data dir, as a team's would: the YAML parser and the validators load.
		prepare() {
			const cwd = tempDir();
			writeFileSync(join(cwd, 'warroom.yaml'), 'incidents:\n  dir: ./incidents\n');
			dataDirWithIncident(join(cwd, 'incidents'));
			return {args: [], cwd};
		},
		shows: incidentShown,
	},
	{
		name: 'events20k',
		description: 'open incident of 20,000 events',
		prepare: () => ({args: ['--data-dir', dataDirWithEvents(20_000)]}),
		shows: incidentShown,
	},
	{
		name: 'drill',
		description: '--drill api-gateway-outage',
		prepare: () => ({args: ['--drill', 'api-gateway-outage', '--data-dir', tempDir()]}),
		shows: screen => (screen[0] ?? '').startsWith(' DRILL ') && footerShown(screen),
	},
];

type Times = {median: number; min: number; max: number};
export type StartupResult = {
	runs: number;
	node: Times;
	paths: Array<{name: string; description: string; times: Times; ratio: number}>;
};

const timeNodeNothing = (env: Record<string, string>) => timeProcess(process.execPath, ['-e', '0'], env);

/** Spawn → `shows` at 80×24. */
async function timeConsole(
	start: {args: string[]; cwd?: string; shows: (screen: string[]) => boolean},
	env: Record<string, string>,
): Promise<number> {
	const started = performance.now();
	const running = startConsole({cols: 80, rows: 24, ...start, env});
	try {
		return (await running.shown) - started;
	} finally {
		await running.stop();
	}
}

export async function measureStartup(
	runs: number,
	warmUps: number,
	log: (line: string) => void = () => {},
): Promise<StartupResult> {
	const env = consoleEnv();
	const tasks = [
		{name: 'node', run: () => timeNodeNothing(env)},
		...startupPaths.map(path => {
			const start = {...path.prepare(), shows: path.shows};
			return {name: path.name, run: () => timeConsole(start, env)};
		}),
	];
	const times = await interleave(tasks, runs, warmUps);
	for (const [name, values] of times) log(`  ${name}: ${values.map(value => value.toFixed(0)).join(' ')} ms`);
	const summary = (values: number[]): Times => ({median: median(values), min: min(values), max: max(values)});
	const node = summary(times.get('node')!);
	return {
		runs,
		node,
		paths: startupPaths.map(path => {
			const pathTimes = summary(times.get(path.name)!);
			return {name: path.name, description: path.description, times: pathTimes, ratio: pathTimes.median / node.median};
		}),
	};
}
