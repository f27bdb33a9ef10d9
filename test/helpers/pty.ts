/**
 * Runs the built console (dist/warroom.js, or $WARROOM_BIN) in a
 * pseudo-terminal and reads the screen the way a responder would see it,
 * through a headless xterm that interprets every byte the console writes.
 *
 *   const app = startConsole({args: ['--drill', 'api-gateway-outage']});
 *   await app.waitFor('no incident declared');
 *   app.press('d');
 *
 * Each console gets its own temporary data dir (removed by `cleanup()`),
 * unless `dataDir` names a shared one. Call `cleanup()` in afterEach: it
 * kills every console still running and removes the temporary dirs.
 */
import {execFile} from 'node:child_process';
import {mkdirSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import * as nodePty from 'node-pty';
import xterm from '@xterm/headless';

const {Terminal} = xterm;
type Terminal = InstanceType<typeof Terminal>;
// node-pty is CommonJS: Node's ESM loader hands its exports over as named
// exports and as `default`, depending on who loads it; take whichever is there.
const pty: typeof nodePty = (nodePty as unknown as {default?: typeof nodePty}).default ?? nodePty;

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The bundle under test: $WARROOM_BIN lets a test run against another build. */
export const warroomBin = resolve(projectRoot, process.env.WARROOM_BIN ?? 'dist/warroom.js');

export const keys = {
	tab: '\t',
	shiftTab: '\x1b[Z',
	enter: '\r',
	esc: '\x1b',
	up: '\x1b[A',
	down: '\x1b[B',
	right: '\x1b[C',
	left: '\x1b[D',
	backspace: '\x7f',
	ctrlC: '\x03',
} as const;

export const sleep = (ms: number) => new Promise<void>(done => setTimeout(done, ms));

const temporaryDirs = new Set<string>();
const running = new Set<ConsoleSession>();

/** A fresh empty directory under the OS temp dir, removed by `cleanup()`. */
export function makeTempDir(prefix = 'warroom-e2e-'): string {
	const dir = mkdtempSync(join(tmpdir(), prefix));
	temporaryDirs.add(dir);
	return dir;
}

/** A home with no kubeconfig: a console a test starts reads no cluster of the machine's unless the test gives it one. */
const homeWithoutCluster = join(tmpdir(), 'warroom-e2e-home');
mkdirSync(homeWithoutCluster, {recursive: true});

/**
 * The environment the console runs with: this process's, minus anything that
 * changes how it draws, and with a home and no KUBECONFIG of the machine's. With CI set Ink writes nothing until it exits; the
 * test runner's own variables and NODE_OPTIONS (loaders, inspectors) have no
 * business in the child; WARROOM_* would override the data dir or renderer.
 */
export function childEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
	const env: Record<string, string | undefined> = {...process.env};
	for (const name of Object.keys(env)) {
		if (
			name === 'CI' ||
			name === 'CONTINUOUS_INTEGRATION' ||
			name.startsWith('CI_') ||
			name.startsWith('VITEST') ||
			name.startsWith('WARROOM_') ||
			name === 'NODE_OPTIONS' ||
			name === 'NODE_ENV' ||
			name === 'TEST' ||
			name === 'FORCE_COLOR' ||
			name === 'NO_COLOR' ||
			name === 'COLUMNS' ||
			name === 'LINES' ||
			name === 'TMUX' ||
			name === 'TMUX_PANE' ||
			name === 'STY'
		) {
			delete env[name];
		}
	}
	Object.assign(
		env,
		{TERM: 'xterm-256color', TZ: 'UTC', LANG: env.LANG ?? 'C.UTF-8', HOME: homeWithoutCluster, KUBECONFIG: undefined},
		extra,
	);
	const clean: Record<string, string> = {};
	for (const [name, value] of Object.entries(env)) if (value !== undefined) clean[name] = value;
	return clean;
}

export type ConsoleOptions = {
	/** Arguments after `warroom`; `--data-dir` is added unless given here or `dataDir` is false. */
	args?: string[];
	cols?: number;
	rows?: number;
	/** Extra environment; `undefined` removes a variable. */
	env?: Record<string, string | undefined>;
	cwd?: string;
	/** A data dir to share between consoles; by default each gets a fresh temporary one. */
	dataDir?: string | false;
	/** The bundle to run (default: $WARROOM_BIN or dist/warroom.js). */
	bin?: string;
	/** A command the console runs under, e.g. `ip netns exec NAME` (test/helpers/netns.ts) to run it on another host. */
	launcher?: readonly string[];
};

/** The file and arguments that run the bundle with `args`, under `launcher` when there is one. */
function command(bin: string, args: readonly string[], launcher: readonly string[] = []): [string, string[]] {
	const [file, ...rest] = [...launcher, process.execPath, bin, ...args] as [string, ...string[]];
	return [file, rest];
}

export type Exit = {exitCode: number; signal?: number};

export type WaitTarget = string | RegExp | ((screen: string[]) => boolean);

export class ConsoleSession {
	readonly terminal: Terminal;
	readonly dataDir: string | undefined;
	readonly exited: Promise<Exit>;
	/** Every byte the console wrote, as received. */
	output = '';
	/** How many bytes the console wrote (UTF-8). */
	bytesWritten = 0;
	exit: Exit | undefined;
	private readonly process: nodePty.IPty;

	constructor(options: ConsoleOptions = {}) {
		const cols = options.cols ?? 80;
		const rows = options.rows ?? 24;
		const args = [...(options.args ?? [])];
		if (options.dataDir !== false && !args.includes('--data-dir')) {
			this.dataDir = options.dataDir ?? makeTempDir();
			args.push('--data-dir', this.dataDir);
		} else {
			const index = args.indexOf('--data-dir');
			this.dataDir = index >= 0 ? args[index + 1] : undefined;
		}
		this.terminal = new Terminal({cols, rows, allowProposedApi: true, scrollback: 1000});
		this.process = pty.spawn(...command(options.bin ?? warroomBin, args, options.launcher), {
			name: 'xterm-256color',
			cols,
			rows,
			cwd: options.cwd ?? this.dataDir ?? projectRoot,
			env: childEnv(options.env),
		});
		this.process.onData(data => {
			this.output += data;
			this.bytesWritten += Buffer.byteLength(data);
			this.terminal.write(data);
		});
		this.exited = new Promise(done => {
			this.process.onExit(({exitCode, signal}) => {
				this.exit = {exitCode, ...(signal ? {signal} : {})};
				running.delete(this);
				// Bytes still in the pty may be read just after the exit is reported: give
				// them a moment, and xterm time to parse them, before anyone reads the screen.
				setTimeout(() => this.terminal.write('', () => done(this.exit!)), 30);
			});
		});
		running.add(this);
	}

	get pid(): number {
		return this.process.pid;
	}

	get cols(): number {
		return this.terminal.cols;
	}

	get rows(): number {
		return this.terminal.rows;
	}

	/** The visible screen, one string per row, trailing blanks trimmed. */
	screen(): string[] {
		const buffer = this.terminal.buffer.active;
		const lines: string[] = [];
		for (let row = 0; row < this.terminal.rows; row++) {
			lines.push(buffer.getLine(buffer.viewportY + row)?.translateToString(true) ?? '');
		}
		return lines;
	}

	/** What each row draws in inverse video, e.g. the selected row of the focused panel: the cells of each run joined. */
	inverseText(): string[] {
		const buffer = this.terminal.buffer.active;
		const cell = buffer.getNullCell();
		return this.screen().map((_, row) => {
			const line = buffer.getLine(buffer.viewportY + row);
			let text = '';
			for (let column = 0; line && column < this.terminal.cols; column++) {
				if (line.getCell(column, cell)?.isInverse()) text += cell.getChars() || ' ';
			}
			return text.trim();
		});
	}

	screenText(): string {
		return this.screen().join('\n');
	}

	/** The screen with row numbers, for failure messages. */
	dump(): string {
		const width = this.terminal.cols;
		const rule = `    +${'-'.repeat(width)}+`;
		const body = this.screen().map((line, index) => `${String(index + 1).padStart(3)} |${line.padEnd(width)}|`);
		const state = `${this.terminal.cols}x${this.terminal.rows}, ${this.isAlternateScreen() ? 'alternate' : 'normal'} screen${
			this.exit ? `, exited ${JSON.stringify(this.exit)}` : ''
		}`;
		return [state, rule, ...body, rule].join('\n');
	}

	/** Resolves once xterm has parsed every byte received so far. */
	flush(): Promise<void> {
		return new Promise(done => this.terminal.write('', done));
	}

	/**
	 * False while a frame is half drawn: Ink brackets each frame in a
	 * synchronized update (CSI ?2026h … ?2026l), and a frame can arrive in
	 * several reads from the pty.
	 */
	isFrameComplete(): boolean {
		return !this.terminal.modes.synchronizedOutputMode;
	}

	/** Waits until every byte received is parsed and no frame is half drawn. */
	async settle(timeout = 1000): Promise<void> {
		const deadline = Date.now() + timeout;
		await this.flush();
		while (!this.isFrameComplete() && Date.now() < deadline) {
			await sleep(10);
			await this.flush();
		}
	}

	/** The screen once the frame being drawn, if any, is complete. */
	async settledScreen(): Promise<string[]> {
		await this.settle();
		return this.screen();
	}

	/** Polls the screen every 50 ms until the text, pattern or predicate matches; throws with the screen on timeout. */
	async waitFor(
		target: WaitTarget,
		{timeout = 5000, interval = 50}: {timeout?: number; interval?: number} = {},
	): Promise<string[]> {
		let problem: unknown;
		const matches = (screen: string[]) => {
			if (typeof target === 'string') return screen.join('\n').includes(target);
			if (target instanceof RegExp) return target.test(screen.join('\n'));
			// A predicate that cannot read this screen (it throws) has not matched yet.
			try {
				return target(screen);
			} catch (error) {
				problem = error;
				return false;
			}
		};
		const deadline = Date.now() + timeout;
		for (;;) {
			await this.flush();
			const screen = this.screen();
			// Only whole frames count: a half-drawn one mixes two screens.
			if (this.isFrameComplete() && matches(screen)) return screen;
			if (Date.now() >= deadline) {
				const what = typeof target === 'function' ? target.toString().slice(0, 200) : String(target);
				const why = problem instanceof Error ? `\nlast predicate error: ${problem.message}` : '';
				throw new Error(`timed out after ${timeout} ms waiting for ${what}${why}\n${this.dump()}`);
			}
			await sleep(interval);
		}
	}

	/** Waits until the text is gone from the screen. */
	waitForGone(text: string | RegExp, options: {timeout?: number} = {}): Promise<string[]> {
		const present = (screen: string[]) =>
			typeof text === 'string' ? screen.join('\n').includes(text) : text.test(screen.join('\n'));
		return this.waitFor(function gone(screen) {
			return !present(screen);
		}, options);
	}

	/** Writes raw bytes to the console's terminal, as keys typed. */
	press(bytes: string): void {
		this.process.write(bytes);
	}

	/** Types text into a field, then pauses so the next key is read as a key of its own. */
	async type(text: string, pause = 80): Promise<void> {
		this.process.write(text);
		await sleep(pause);
	}

	/** Presses keys one at a time with a pause between, as a person would. */
	async pressEach(sequence: string[], pause = 60): Promise<void> {
		for (const key of sequence) {
			this.process.write(key);
			await sleep(pause);
		}
	}

	/** Closes the terminal under the console, as a dropped SSH link does: the console gets SIGHUP and every write fails. */
	hangUp(): void {
		(this.process as unknown as {destroy(): void}).destroy();
	}

	resize(cols: number, rows: number): void {
		this.terminal.resize(cols, rows);
		this.process.resize(cols, rows);
	}

	kill(signal = 'SIGTERM'): void {
		if (this.exit) return;
		try {
			this.process.kill(signal);
		} catch {
			// Already gone.
		}
	}

	/** Whether the terminal is in raw mode (no line editing, no echo), as `stty` reads the pseudo-terminal. */
	isRawMode(): Promise<boolean> {
		const device = (this.process as unknown as {ptsName: string}).ptsName;
		return new Promise((done, fail) =>
			execFile('stty', ['-F', device, '-a'], (error, stdout) =>
				error ? fail(error) : done(/-icanon\b/.test(stdout) && /-echo\b/.test(stdout)),
			),
		);
	}

	isAlternateScreen(): boolean {
		return this.terminal.buffer.active.type === 'alternate';
	}

	/** Whether the cursor is hidden (DECTCEM off). */
	isCursorHidden(): boolean {
		const core = (this.terminal as unknown as {_core?: {coreService?: {isCursorHidden?: boolean}}})._core;
		const hidden = core?.coreService?.isCursorHidden;
		if (typeof hidden === 'boolean') return hidden;
		return this.output.lastIndexOf('\x1b[?25l') > this.output.lastIndexOf('\x1b[?25h');
	}

	/** Row numbers (1-based) of the screen rows containing the text. */
	rowsContaining(text: string | RegExp): number[] {
		return this.screen().flatMap((line, index) =>
			(typeof text === 'string' ? line.includes(text) : text.test(line)) ? [index + 1] : [],
		);
	}

	/** Kills the console and waits for it to go; resolves the exit either way. */
	async stop(signal = 'SIGKILL', timeout = 3000): Promise<Exit | undefined> {
		if (this.exit) return this.exit;
		this.kill(signal);
		return Promise.race([this.exited, sleep(timeout).then(() => undefined)]);
	}
}

export function startConsole(options: ConsoleOptions = {}): ConsoleSession {
	return new ConsoleSession(options);
}

/** Kills every console still running and removes the temporary data dirs. Call it in afterEach. */
export async function cleanup(): Promise<void> {
	await Promise.all([...running].map(session => session.stop('SIGKILL')));
	for (const dir of temporaryDirs) rmSync(dir, {recursive: true, force: true});
	temporaryDirs.clear();
}

export type CliResult = {code: number; stdout: string; stderr: string};

/** Runs a non-interactive subcommand (`declare`, `snapshot`, ...) of the built binary. */
export function runCli(
	args: string[],
	{
		env,
		cwd,
		bin,
		input,
		launcher,
	}: {env?: Record<string, string | undefined>; cwd?: string; bin?: string; input?: string; launcher?: readonly string[]} = {},
): Promise<CliResult> {
	return new Promise(done => {
		const child = execFile(
			...command(bin ?? warroomBin, args, launcher),
			{env: childEnv(env), cwd: cwd ?? projectRoot, timeout: 15_000},
			(error, stdout, stderr) => {
				const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
				done({code, stdout, stderr});
			},
		);
		// Standard input, when given, is written and closed; otherwise left open, as a terminal's would be.
		if (input !== undefined) child.stdin?.end(input);
	});
}
