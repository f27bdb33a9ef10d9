/**
 * `warroom`: parses the command line, runs a subcommand, or opens the
 * full-screen console on the alternate screen and restores the terminal on
 * every way out, once the journal writes in flight are done.
 */
import {render} from 'ink';
import {version} from '../package.json';
import {CrashBoundary} from '../panels/CrashBoundary';
import {App} from './app';
import {declareCommand, recordCommand, snapshotCommand} from './commands';
import {helpText, parseCommandLine, type CommandLine} from './command-line';
import {startConsole} from './console';
import {isInputProblem, messageOf, UsageError} from './errors';
import {loadSettings, type Settings} from './settings';
import {crashReport, enterFullScreen, internalErrorExitCode} from './terminal';

const stdout = {write: (text: string) => process.stdout.write(text)};

/** How long the way out waits for journal writes in flight: a dropped SSH link must not leave a console hanging. */
const writesBoundMs = 3000;

/** How the console is left: the exit code, and the error when drawing failed. */
type WayOut = {exitCode: number; error?: unknown};

async function runConsole(settings: Settings, flags: CommandLine['flags']): Promise<number> {
	if (!process.stdin.isTTY || !process.stdout.isTTY) {
		throw new UsageError('the console needs a terminal on stdin and stdout; for a report use `warroom snapshot`');
	}
	const drill = flags.drill ? (await import('./collectors/drill-file')).loadDrill(flags.drill, settings.runbookDirs) : undefined;
	const screen = enterFullScreen(process.stdout, process.stdin);
	let takeWayOut: (way: WayOut) => void = () => {};
	// The first way out taken wins: a signal while quitting changes nothing.
	const wayOut = new Promise<WayOut>(resolve => (takeWayOut = resolve));
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
		quit: () => takeWayOut({exitCode: 0}),
		suspend: screen.suspend,
	});
	screen.onSignal(exitCode => takeWayOut({exitCode}));
	// Before render(): the screen is wiped before Ink's own resize handler (patched: on every size change) redraws it whole.
	screen.onResize(size => running.store.setState({size}));
	const instance = render(
		<CrashBoundary onCrash={error => takeWayOut({exitCode: internalErrorExitCode, error})}>
			<App store={running.store} commands={running.commands} />
		</CrashBoundary>,
		{
			exitOnCtrlC: false,
			// WARROOM_INCREMENTAL=0 redraws whole frames: the benchmark's baseline.
			incrementalRendering: process.env.WARROOM_INCREMENTAL !== '0',
			maxFps: 20,
		},
	);
	// Ink's last frame must land on the alternate screen, before it is left, whatever the way out.
	screen.beforeLeave(() => instance.unmount());
	const {exitCode, error} = await wayOut;
	const unsaved = await running.close(writesBoundMs);
	screen.leave();
	// After leaving, so it stays on the responder's screen.
	if (error !== undefined) process.stderr.write(crashReport(error));
	for (const write of unsaved) process.stderr.write(`warroom: not saved: ${write}\n`);
	return exitCode === 0 && unsaved.length > 0 ? 1 : exitCode;
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
