/**
 * `warroom`: parses the command line, runs a subcommand, or opens the
 * full-screen console on the alternate screen and restores the terminal on
 * every way out.
 */
import meow from 'meow';
import {render} from 'ink';
import {App} from './app';
import {declareCommand, recordCommand, snapshotCommand, UsageError} from './commands';
import {ConfigError} from './config';
import {loadDrill} from './collectors/drill';
import {startConsole} from './console';
import {InputError} from './yaml-input';
import {loadSettings, type Settings} from './settings';
import {enterFullScreen} from './terminal';

const cli = meow(
	`
	Usage
	  $ warroom [options]                 the console (on a drill: --drill NAME)
	  $ warroom snapshot [--format text|json]
	  $ warroom declare --severity P0..P3 --title TEXT [--services a,b] [--commander NAME]
	  $ warroom note INC-N TEXT
	  $ warroom status INC-N investigating|identified|fixing|monitoring|resolved
	  $ warroom severity INC-N P0..P3

	Options
	  --config FILE      warroom.yaml to read (default: ./warroom.yaml when present)
	  --data-dir DIR     the incident journal (default: $WARROOM_DATA_DIR, incidents.dir, ./incidents)
	  --incident INC-N   the incident to act on (default: the newest unresolved)
	  --drill NAME       play a scripted incident; touches no real system
	  --read-only        bind no key that writes
	  --dry-run          show mitigations without running them
	  --help, --version

	Exit codes: 0 fine · 1 something checked is unhealthy · 2 bad usage, config or input
`,
	{
		importMeta: import.meta,
		allowUnknownFlags: false,
		flags: {
			config: {type: 'string'},
			dataDir: {type: 'string'},
			incident: {type: 'string'},
			drill: {type: 'string'},
			readOnly: {type: 'boolean', default: false},
			dryRun: {type: 'boolean', default: false},
			format: {type: 'string', default: 'text'},
			severity: {type: 'string'},
			title: {type: 'string'},
			services: {type: 'string'},
			commander: {type: 'string'},
		},
	},
);

const stdout = {write: (text: string) => process.stdout.write(text)};

async function runConsole(settings: Settings): Promise<number> {
	if (!process.stdin.isTTY || !process.stdout.isTTY) {
		throw new UsageError('the console needs a terminal on stdin and stdout; for a report use `warroom snapshot`');
	}
	const drill = cli.flags.drill ? loadDrill(cli.flags.drill, settings.runbookDirs) : undefined;
	const screen = enterFullScreen(process.stdout);
	let quit = () => {};
	const quitting = new Promise<void>(resolve => (quit = resolve));
	const running = startConsole({
		policy: settings.policy,
		dataDir: settings.dataDir,
		actor: settings.actor,
		...(drill ? {drill} : {}),
		...(cli.flags.incident ? {incidentId: cli.flags.incident} : {}),
		readOnly: cli.flags.readOnly,
		dryRun: cli.flags.dryRun,
		colour: !('NO_COLOR' in process.env) && process.env.TERM !== 'dumb',
		size: screen.size(),
		redact: settings.redact,
		quit: () => quit(),
	});
	// Before render(): the screen is wiped before Ink's own resize handler (patched: on every size change) redraws it whole.
	screen.onResize(size => running.store.setState({size}));
	const instance = render(<App store={running.store} commands={running.commands} />, {
		exitOnCtrlC: false,
		// WARROOM_INCREMENTAL=0 redraws whole frames: the benchmark's baseline.
		incrementalRendering: process.env.WARROOM_INCREMENTAL !== '0',
		maxFps: 20,
	});
	// Ink's last frame must land on the alternate screen, before it is left, whatever the way out.
	screen.beforeLeave(() => instance.unmount());
	await quitting;
	running.stop();
	screen.leave();
	return 0;
}

async function main(): Promise<number> {
	const [command, ...args] = cli.input;
	const settings = loadSettings({config: cli.flags.config, dataDir: cli.flags.dataDir}, process.env, process.cwd());
	switch (command) {
		case undefined:
			return runConsole(settings);
		case 'snapshot':
			return snapshotCommand(settings, {format: cli.flags.format, ...(cli.flags.incident ? {incidentId: cli.flags.incident} : {})}, stdout);
		case 'declare':
			return declareCommand(settings, cli.flags, stdout);
		case 'note':
		case 'status':
		case 'severity':
			return recordCommand(settings, command, args, stdout);
		default:
			throw new UsageError(`unknown command "${command}" (see warroom --help)`);
	}
}

const isInputProblem = (error: unknown) => error instanceof UsageError || error instanceof ConfigError || error instanceof InputError;

main().then(
	code => process.exit(code),
	(error: unknown) => {
		const message = error instanceof Error ? error.message : String(error);
		process.stderr.write(`warroom: ${message}\n`);
		process.exit(isInputProblem(error) ? 2 : 1);
	},
);
