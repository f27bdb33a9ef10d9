/**
 * The terminal while the console runs: the alternate screen, raw mode and
 * bracketed paste, taken before the first frame and given back on every way
 * out (quit, Ctrl+C, SIGTERM, SIGHUP when the SSH link drops, SIGQUIT, a
 * crash) and while suspended (Ctrl+Z), so the responder's shell and
 * scrollback come back as they were.
 */
const enterAlternateScreen = '\u001B[?1049h';
const leaveAlternateScreen = '\u001B[?1049l';
const bracketedPasteOn = '\u001B[?2004h';
const bracketedPasteOff = '\u001B[?2004l';
const showCursor = '\u001B[?25h';
const hideCursor = '\u001B[?25l';
const clearScreen = '\u001B[H\u001B[2J';

const fatalSignals = {SIGINT: 2, SIGTERM: 15, SIGHUP: 1, SIGQUIT: 3} as const;

/** EX_SOFTWARE: the console itself failed (a render error, an uncaught exception). */
export const internalErrorExitCode = 70;

/** What a responder reads on stderr when the console itself failed: the message and where. */
export const crashReport = (error: unknown) =>
	`warroom: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`;

export type Size = {columns: number; rows: number};

export type FullScreen = {
	size(): Size;
	/**
	 * Calls back with the new size after the screen has been wiped for a fresh
	 * frame. Subscribe before Ink renders, so the wipe comes before Ink redraws.
	 */
	onResize(listener: (size: Size) => void): void;
	/** Runs first on every way out, e.g. to unmount Ink so it draws nothing on the normal screen. */
	beforeLeave(hook: () => void): void;
	/**
	 * A fatal signal calls this with its exit code (128 + its number) instead of
	 * exiting at once, so writes in flight can finish; the handler leaves and exits.
	 */
	onSignal(handler: (exitCode: number) => void): void;
	/** Gives the terminal back to the shell and stops; takes it again and redraws on `fg`. */
	suspend(): void;
	leave(): void;
};

export function enterFullScreen(stdout: NodeJS.WriteStream, stdin: NodeJS.ReadStream): FullScreen {
	let left = false;
	let beforeLeave = () => {};
	let onSignal: ((exitCode: number) => void) | undefined;
	const size = () => ({columns: stdout.columns || 80, rows: stdout.rows || 24});
	const take = () => {
		// Raw before the first frame, not when Ink gets to it: a key typed in between would be
		// echoed onto the bottom row, under the frame. Ink reads it from stdin once it listens.
		if (stdin.isTTY) stdin.setRawMode(true);
		stdout.write(enterAlternateScreen + clearScreen + hideCursor + bracketedPasteOn);
	};
	const giveBack = () => {
		if (stdin.isTTY) stdin.setRawMode(false);
		stdout.write(bracketedPasteOff + showCursor + leaveAlternateScreen);
	};
	const leave = () => {
		if (left) return;
		left = true;
		try {
			beforeLeave();
		} finally {
			giveBack();
		}
	};
	const dieOn = (signal: keyof typeof fatalSignals) => () => {
		const exitCode = 128 + fatalSignals[signal];
		if (onSignal) return onSignal(exitCode);
		leave();
		process.exit(exitCode);
	};
	const crash = (error: unknown) => {
		leave();
		process.stderr.write(crashReport(error));
		process.exit(internalErrorExitCode);
	};
	const suspend = () => {
		if (left) return;
		giveBack();
		process.kill(process.pid, 'SIGSTOP');
		// Runs on SIGCONT, before any timer gets the chance to draw a frame on the shell's screen.
		take();
		// The window may have been resized while the shell had it.
		if (stdout.isTTY) [stdout.columns, stdout.rows] = stdout.getWindowSize();
		// The resize path wipes the screen and makes Ink draw the whole frame again.
		stdout.emit('resize');
	};

	take();
	// TTY writes are synchronous, so this still lands when the process is already exiting.
	process.on('exit', leave);
	for (const signal of Object.keys(fatalSignals) as Array<keyof typeof fatalSignals>) process.on(signal, dieOn(signal));
	// kill -TSTP; Ctrl+Z itself arrives as a key in raw mode, and the console calls `suspend`.
	process.on('SIGTSTP', suspend);
	process.on('uncaughtException', crash);
	process.on('unhandledRejection', crash);
	// Once the SSH link is gone every write fails (EIO): nothing can be drawn any more,
	// but the process must live on until the journal writes in flight are done.
	stdout.on('error', () => {});

	return {
		size,
		onResize(listener) {
			stdout.on('resize', () => {
				stdout.write(clearScreen);
				listener(size());
			});
		},
		beforeLeave(hook) {
			beforeLeave = hook;
		},
		onSignal(handler) {
			onSignal = handler;
		},
		suspend,
		leave,
	};
}
