/**
 * `warroom`: parses the command line, runs a subcommand, or opens the
 * full-screen console on the alternate screen and restores the terminal on
 * every way out, once the journal writes in flight are done.
 */
import {runbooksCommand} from './runbooks-command';
import {constants, readFileSync, readlinkSync} from 'node:fs';
import {setTimeout as delay} from 'node:timers/promises';
import {render} from 'ink';
import {version} from '../../package.json';
import {CrashBoundary} from '../../panels/CrashBoundary';
import {App} from '../app';
import {declareCommand, postmortemCommand, recordCommand, snapshotCommand, templateCommand} from './subcommands';
import {helpText, parseCommandLine, type CommandLine} from './arguments';
import {compiledDrill} from '../config/compiled-runbooks';
import {startConsole} from '../console';
import {openJournal} from '../incident/open-journal';
import {isInputProblem, messageOf, plainFailure, UsageError} from '../errors';
import {toSingleLine} from '../text/sanitize';
import {loadSettings, readPlaybooks, type Settings} from '../config/settings';
import {crashReport, enterFullScreen, internalErrorExitCode} from './terminal';

/**
 * Node puts /dev/null, opened read-write, in the place of a standard stream
 * that was closed (`>&-`); a shell's `> /dev/null` opens it write-only. A
 * parent that spawns us with output ignored looks the same, so only the
 * report (`snapshot`), whose output is its whole point, refuses it: `declare`
 * must not exit 1 after it declared, or a retry declares twice. Where there
 * is no /proc to ask, a closed stream cannot be told apart.
 */
function closedAtStart(fd: number): boolean {
	try {
		if (readlinkSync(`/proc/self/fd/${fd}`) !== '/dev/null') return false;
		const flags = /^flags:\s*([0-7]+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))?.[1];
		return flags !== undefined && (Number.parseInt(flags, 8) & 0o3) === constants.O_RDWR;
	} catch {
		return false;
	}
}

/** Standard output for the subcommands: a write that fails (a full disk, a closed stream) fails the command. */
function commandOutput(stream: NodeJS.WriteStream, fd: number) {
	let failure: string | undefined;
	const failed = (error: NodeJS.ErrnoException | null | undefined) => {
		if (error) failure ??= plainFailure(error);
	};
	// Without a listener, an asynchronous write error would crash with a stack trace.
	stream.on('error', failed);
	return {
		write(text: string) {
			if (failure === undefined) stream.write(text, failed);
		},
		/** For the report: output nobody can read is a failure even before a write fails. */
		refuseClosed() {
			if (closedAtStart(fd)) failure ??= 'it is closed';
		},
		/** Why what was written did not get out, once every write has finished. */
		async failure(): Promise<string | undefined> {
			await new Promise(resolve => stream.write('', resolve));
			return failure;
		},
	};
}

const stdout = commandOutput(process.stdout, 1);

/** How long the first frame waits for the journal before it says "loading journal…". */
const firstFrameWaitMs = 500;

/** How long the way out waits for journal writes in flight: a dropped SSH link must not leave a console hanging. */
const writesBoundMs = 3000;

/** How the console is left: the exit code, and the error when drawing failed. */
type WayOut = {exitCode: number; error?: unknown};

async function runConsole(settings: Settings, flags: CommandLine['flags']): Promise<number> {
	if (!process.stdin.isTTY || !process.stdout.isTTY) {
		throw new UsageError('the console needs a terminal on stdin and stdout; for a report use `warroom snapshot`');
	}
	const drill = flags.drill
		? (compiledDrill(flags.drill, settings.runbookDirs) ??
			(await import('../sources/drill/drill-file')).loadDrill(flags.drill, settings.runbookDirs))
		: undefined;
	// Read before the screen is taken: a broken playbook is one line on the normal screen.
	const playbooks = await readPlaybooks(settings.runbookDirs);
	// …and so is a shared store this warroom cannot use (its schema).
	const journal = await openJournal(settings, drill ? {drill: drill.name} : {});
	const screen = enterFullScreen(process.stdout, process.stdin);
	let takeWayOut: (way: WayOut) => void = () => {};
	// The first way out taken wins: a signal while quitting changes nothing.
	const wayOut = new Promise<WayOut>(resolve => (takeWayOut = resolve));
	const running = startConsole({
		policy: settings.policy,
		playbooks,
		runbookDirs: settings.runbookDirs,
		writeTerminal: text => process.stdout.write(text),
		config: settings.config,
		dataDir: settings.dataDir,
		journal,
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
	// The first frame waits for the journal, so it shows the open incident; only a journal slower
	// than this shows "loading journal…" first. Keys typed meanwhile wait in stdin (raw since
	// enterFullScreen), then in the store until the journal is read.
	await Promise.race([running.journalRead, delay(firstFrameWaitMs)]);
	const instance = render(
		<CrashBoundary onCrash={error => takeWayOut({exitCode: internalErrorExitCode, error})}>
			<App store={running.store} controls={running.controls} />
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
	await journal.close();
	screen.leave();
	// After leaving, so it stays on the responder's screen.
	if (error !== undefined) process.stderr.write(crashReport(error));
	for (const write of unsaved) process.stderr.write(`warroom: not saved: ${write}\n`);
	return exitCode === 0 && unsaved.length > 0 ? 1 : exitCode;
}

async function runCommand(): Promise<number> {
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
			stdout.refuseClosed();
			return snapshotCommand(settings, {format: flags.format, ...(flags.incident ? {incidentId: flags.incident} : {})}, stdout);
		case 'doctor':
			return (await import('./doctor')).doctorCommand(settings, {format: flags.format}, stdout, {
				terminal: {
					stdinIsTty: Boolean(process.stdin.isTTY),
					stdoutIsTty: Boolean(process.stdout.isTTY),
					...(process.stdout.isTTY ? {columns: process.stdout.columns, rows: process.stdout.rows} : {}),
					...(process.env.TERM ? {term: process.env.TERM} : {}),
				},
				env: process.env,
				cwd: process.cwd(),
			});
		case 'declare':
			return declareCommand(settings, flags, stdout);
		case 'note':
		case 'status':
		case 'severity':
			return recordCommand(settings, command, args, stdout);
		case 'runbooks':
			return runbooksCommand(settings, args, stdout);
		case 'template':
			return templateCommand(settings, args[0], flags, stdout);
		case 'postmortem':
			return postmortemCommand(settings, flags, stdout);
		case 'db':
			return (await import('./db-command')).dbCommand(settings, args, stdout);
		case 'journal':
			return (await import('./journal-command')).journalCommand(settings, args, stdout, process.stdin);
		default:
			throw new UsageError(`unknown command "${command}" (see warroom --help)`);
	}
}

async function main(): Promise<number> {
	const code = await runCommand();
	const failure = await stdout.failure();
	if (failure === undefined) return code;
	process.stderr.write(`warroom: cannot write to standard output: ${failure}\n`);
	return 1;
}

main().then(
	code => process.exit(code),
	(error: unknown) => {
		// Messages echo file contents and arguments: one clean line, whatever they held.
		process.stderr.write(`warroom: ${toSingleLine(messageOf(error))}\n`);
		process.exit(isInputProblem(error) ? 2 : 1);
	},
);
