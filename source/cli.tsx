/**
 * `warroom`: parses the command line, runs a subcommand, or opens the
 * full-screen console on the alternate screen and restores the terminal on
 * every way out.
 */
import {setTimeout as delay} from 'node:timers/promises';
import {render} from 'ink';
import {version} from '../package.json';
import {App} from './app';
import {declareCommand, recordCommand, snapshotCommand} from './commands';
import {helpText, parseCommandLine, type CommandLine} from './command-line';
import {compiledDrill} from './compiled';
import {startConsole} from './console';
import {isInputProblem, messageOf, UsageError} from './errors';
import {loadSettings, type Settings} from './settings';
import {enterFullScreen} from './terminal';

const firstFrameWaitMs = 500;

const stdout = {write: (text: string) => process.stdout.write(text)};

async function runConsole(settings: Settings, flags: CommandLine['flags']): Promise<number> {
	if (!process.stdin.isTTY || !process.stdout.isTTY) {
		throw new UsageError('the console needs a terminal on stdin and stdout; for a report use `warroom snapshot`');
	}
	const drill = flags.drill
		? (compiledDrill(flags.drill, settings.runbookDirs) ?? (await import('./collectors/drill-file')).loadDrill(flags.drill, settings.runbookDirs))
		: undefined;
	const screen = enterFullScreen(process.stdout, process.stdin);
	let quit = () => {};
	const quitting = new Promise<void>(resolve => (quit = resolve));
	const running = startConsole({
		policy: settings.policy,
		dataDir: settings.dataDir,
		actor: settings.actor,
		...(drill ? {drill} : {}),
		...(flags.incident ? {incidentId: flags.incident} : {}),
		readOnly: flags.readOnly,
		dryRun: flags.dryRun,
		colour: !('NO_COLOR' in process.env) && process.env.TERM !== 'dumb',
		size: screen.size(),
		redact: settings.redact,
		quit: () => quit(),
	});
	// The first frame waits for the journal, so it shows the open incident; only a journal slower
	// than this shows "loading journal…" first. Keys typed meanwhile wait in stdin (raw since
	// enterFullScreen), then in the store until the journal is read.
	await Promise.race([running.journalRead, delay(firstFrameWaitMs)]);
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
	const {command, args, flags} = parseCommandLine(process.argv.slice(2));
	if (flags.help || flags.version) {
		stdout.write(flags.help ? helpText : `${version}\n`);
		return 0;
	}
	const settings = await loadSettings({config: flags.config, dataDir: flags.dataDir}, process.env, process.cwd());
	switch (command) {
		case undefined:
			return runConsole(settings, flags);
		case 'snapshot':
			return snapshotCommand(settings, {format: flags.format, ...(flags.incident ? {incidentId: flags.incident} : {})}, stdout);
		case 'declare':
			return declareCommand(settings, flags, stdout);
		case 'note':
		case 'status':
		case 'severity':
			return recordCommand(settings, command, args, stdout);
		default:
			throw new UsageError(`unknown command "${command}" (see warroom --help)`);
	}
}

main().then(
	code => process.exit(code),
	(error: unknown) => {
		process.stderr.write(`warroom: ${messageOf(error)}\n`);
		process.exit(isInputProblem(error) ? 2 : 1);
	},
);
