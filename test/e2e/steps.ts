/** What a responder does at the console, step by step, for the end-to-end tests. */
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {expect} from 'vitest';
import {keys, makeTempDir, projectRoot, sleep, startConsole, type ConsoleOptions, type ConsoleSession} from '../helpers/pty';

export const drill = 'api-gateway-outage';
export const drillArgs = ['--drill', drill];

/** The built-in drill's scenes 2 s and 3 s in (test/fixtures/runbooks/drills/quick-outage.yaml). */
export const quickDrill = 'quick-outage';

/** Arguments that play a test drill (the quick one unless named): a config whose runbook directory holds it. */
export function quickDrillArgs(drillName = quickDrill, moreRunbookDirs: readonly string[] = []): string[] {
	const config = join(makeTempDir('warroom-config-'), 'warroom.yaml');
	const dirs = [join(projectRoot, 'test/fixtures/runbooks'), ...moreRunbookDirs];
	writeFileSync(config, `runbooks:\n  dirs: ${JSON.stringify(dirs)}\n`);
	return ['--config', config, '--drill', drillName];
}

/** Starts the console and waits for its first full frame (the footer's key hints). */
export async function openConsole(options: ConsoleOptions = {}): Promise<ConsoleSession> {
	const app = startConsole(options);
	await app.waitFor(screen => screen.some(line => line.includes('? help')), {timeout: 10_000});
	return app;
}

export type Declaration = {severity?: 'P0' | 'P1' | 'P2' | 'P3'; title: string; services?: string};

/** d, the severity (from the default P1 with ←/→), Tab, the title, Tab, the services, Enter. */
export async function declareIncident(app: ConsoleSession, {severity = 'P1', title, services = ''}: Declaration): Promise<void> {
	app.press('d');
	await app.waitFor('Declare an incident');
	const steps = Number(severity.slice(1)) - 1;
	for (let i = 0; i < Math.abs(steps); i++) await app.pressEach([steps > 0 ? keys.right : keys.left]);
	app.press(keys.tab);
	await sleep(50);
	await app.type(title);
	app.press(keys.tab);
	await sleep(50);
	if (services) await app.type(services);
	app.press(keys.enter);
	await app.waitFor(new RegExp(`INC-\\d+ declared: ${severity} ${escape(title)}`));
}

/** n, the text, Enter; waits for the console to confirm. */
export async function addNote(app: ConsoleSession, text: string): Promise<void> {
	app.press('n');
	await app.waitFor('Add a note');
	await app.type(text);
	app.press(keys.enter);
	await app.waitFor('note added to the timeline');
}

/** Seconds on the header's elapsed clock (`investigating 01:07`). */
export function elapsedSeconds(screen: string[]): number {
	const match = /(?:investigating|identified|fixing|monitoring) (?:(\d+):)?(\d\d):(\d\d)/.exec(screen[0] ?? '');
	if (!match) throw new Error(`no elapsed clock on the header line: ${JSON.stringify(screen[0])}`);
	return Number(match[1] ?? 0) * 3600 + Number(match[2]) * 60 + Number(match[3]);
}

/** Seconds left on the header's countdown (`next: respond in 59:52`). */
export function countdownSeconds(screen: string[], deadline: string): number {
	const match = new RegExp(`next: ${deadline} in (?:(\\d+):)?(\\d\\d):(\\d\\d)`).exec(screen[0] ?? '');
	if (!match) throw new Error(`no "${deadline}" countdown on the header line: ${JSON.stringify(screen[0])}`);
	return Number(match[1] ?? 0) * 3600 + Number(match[2]) * 60 + Number(match[3]);
}

/** The frame's invariants at any size: nothing on the last row, the footer right above it, the header on top. */
export function expectFrameInPlace(app: ConsoleSession, header: RegExp): void {
	const screen = app.screen();
	const rows = app.rows;
	const context = `\n${app.dump()}`;
	expect(screen[rows - 1], `row ${rows} must stay empty${context}`).toBe('');
	expect(screen[rows - 2], `row ${rows - 1} must be the footer${context}`).not.toBe('');
	expect(screen[rows - 2], `row ${rows - 1} must be the footer, not a panel border${context}`).not.toMatch(/^[┌└╔╚│║]/);
	expect(screen[0], `row 1 must be the header${context}`).toMatch(header);
	expect(screen[2], `row 3 must be the top of the panels${context}`).toMatch(/^[┌╔]/);
	expect(screen[rows - 3], `row ${rows - 2} must be the bottom of the panels${context}`).toMatch(/^[└╚]/);
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export type JournalLine = {seq: number; type: string; text?: string; [field: string]: unknown};

/** The events in `dataDir`'s INC-1 journal. */
export function journalEvents(dataDir: string): JournalLine[] {
	return readFileSync(join(dataDir, 'INC-1.jsonl'), 'utf8')
		.split('\n')
		.filter(line => line !== '')
		.map(line => JSON.parse(line) as JournalLine);
}
