/**
 * The alternate screen, entered before the first frame and left on every way
 * out (quit, Ctrl+C, SIGTERM, SIGHUP when the SSH link drops, a crash), so
 * the responder's shell and scrollback come back as they were.
 */
const enterAlternateScreen = '\u001B[?1049h';
const leaveAlternateScreen = '\u001B[?1049l';
const showCursor = '\u001B[?25h';
const clearScreen = '\u001B[H\u001B[2J';

const fatalSignals = {SIGINT: 2, SIGTERM: 15, SIGHUP: 1} as const;

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
	leave(): void;
};

export function enterFullScreen(stdout: NodeJS.WriteStream, stdin: NodeJS.ReadStream): FullScreen {
	let left = false;
	let beforeLeave = () => {};
	const size = () => ({columns: stdout.columns || 80, rows: stdout.rows || 24});
	const leave = () => {
		if (left) return;
		left = true;
		try {
			beforeLeave();
		} finally {
			if (stdin.isTTY) stdin.setRawMode(false);
			stdout.write(showCursor + leaveAlternateScreen);
		}
	};
	const dieOn = (signal: keyof typeof fatalSignals) => () => {
		leave();
		process.exit(128 + fatalSignals[signal]);
	};
	const crash = (error: unknown) => {
		leave();
		process.stderr.write(`warroom: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
		process.exit(1);
	};

	// Raw before the first frame, not when Ink gets to it: a key typed in between would be
	// echoed onto the bottom row, under the frame. Ink reads it from stdin once it listens.
	if (stdin.isTTY) stdin.setRawMode(true);
	stdout.write(enterAlternateScreen + clearScreen);
	// TTY writes are synchronous, so this still lands when the process is already exiting.
	process.on('exit', leave);
	for (const signal of Object.keys(fatalSignals) as Array<keyof typeof fatalSignals>) process.on(signal, dieOn(signal));
	process.on('uncaughtException', crash);
	process.on('unhandledRejection', crash);

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
		leave,
	};
}
