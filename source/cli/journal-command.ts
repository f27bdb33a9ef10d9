/**
 * `warroom journal export INC-N` and `warroom journal import FILE|-`: an
 * incident moved between data directories or stores as JSON lines, one
 * event a line, exactly as the journal holds it (seq, time, who, event id).
 * An import is checked whole before anything is written; a bad line is bad
 * input (exit 2) named by file and line.
 */
import fs from 'node:fs/promises';
import {DuplicateIncident, UnreadableIncident, type Journal} from '../incident/journal';
import {exportLine, parseExport} from '../incident/journal-import';
import {InputError, plainFailure, UsageError} from '../errors';
import {plural, pluralWord} from '../text/plural';
import {toSingleLine} from '../text/sanitize';
import type {Settings} from '../config/settings';
import {withJournal} from '../incident/open-journal';
import {incidentArgument, type Output} from './subcommands';

/** The name standard input goes by in messages (`import -`). */
const stdinName = 'stdin';

export async function journalCommand(
	settings: Settings,
	args: readonly string[],
	out: Output,
	stdin: AsyncIterable<string | Buffer>,
): Promise<number> {
	const [verb, target, ...extra] = args;
	if ((verb !== 'export' && verb !== 'import') || extra.length > 0) {
		throw new UsageError(`journal takes export INC-N or import FILE|-, got "${args.join(' ')}"`);
	}
	const id = verb === 'export' ? incidentArgument(target) : undefined;
	if (verb === 'import' && target === undefined) throw new UsageError('journal import takes a file, or - for standard input');
	const tell = (notice: string) => process.stderr.write(`warroom: ${notice}\n`);
	// Like every report: a secret of the config pasted into the journal is masked, even in an export.
	const text = await withJournal(
		settings,
		journal => (id === undefined ? importIncident(journal, target!, stdin) : exportIncident(journal, id, tell)),
		tell,
	);
	out.write(settings.redact(text));
	return 0;
}

/**
 * Every event of `id` the journal holds, one JSON line each; refused while
 * any line cannot be read, since the export would not be the incident.
 * Events still waiting in the outbox are not the store's yet (no seq of its
 * own): they are left out, and how many is told.
 */
export async function exportIncident(journal: Journal, id: string, tell: (notice: string) => void): Promise<string> {
	if (!(await journal.list()).includes(id)) throw new UsageError(`no incident ${id} in ${journal.link().where}`);
	const {events, problems} = await journal.read(id).catch((error: unknown) => {
		throw error instanceof UnreadableIncident ? new UsageError(error.message) : error;
	});
	const [first] = problems;
	if (first) {
		const lines = problems.map(({line}) => line).join(', ');
		throw new UsageError(
			`${id}: nothing exported: ${pluralWord(problems.length, 'line')} ${lines} cannot be read (line ${first.line}: ${first.message})`,
		);
	}
	const held = events.filter(event => !event.pending);
	const waiting = events.length - held.length;
	if (waiting > 0) tell(`${id}: ${plural(waiting, 'event')} waiting in the outbox not exported: export again once they are sent`);
	return `${held.map(exportLine).join('\n')}\n`;
}

async function importIncident(journal: Journal, file: string, stdin: AsyncIterable<string | Buffer>): Promise<string> {
	const source = file === '-' ? stdinName : file;
	const events = parseExport(await readImport(file, stdin), source);
	const id = await journal.importIncident(events).catch((error: unknown) => {
		throw error instanceof DuplicateIncident ? new InputError(source, `nothing imported: ${error.message}`) : error;
	});
	const declared = events[0]!;
	const title = declared.type === 'declared' ? `: ${declared.title}` : '';
	// The file name and the title are outside text: one clean line on the terminal.
	return `${toSingleLine(`${source} imported as ${id} (${events.length} events)${title}`)}\n`;
}

async function readImport(file: string, stdin: AsyncIterable<string | Buffer>): Promise<string> {
	if (file === '-') {
		const chunks: Buffer[] = [];
		for await (const chunk of stdin) chunks.push(Buffer.from(chunk));
		return Buffer.concat(chunks).toString('utf8');
	}
	try {
		return await fs.readFile(file, 'utf8');
	} catch (error) {
		throw new InputError(file, `cannot read: ${plainFailure(error, {onDisk: true})}`);
	}
}
