/**
 * The one-shot subcommands: `snapshot`, `declare`, `note`, `status`,
 * `severity`, `template`, `postmortem` (`doctor` is in doctor.ts, `runbooks`
 * in runbooks-command.ts). Each returns its exit code; bad input throws a
 * UsageError.
 */
import {lookUpIncident, resolveIncident, IncidentDesk, type Lookup} from '../incident/desk';
import {withJournal} from '../incident/open-journal';
import {isIncidentId, StoreUnreachable, type Journal, type JournalLink, type SkippedIncident} from '../incident/journal';
import {eventFor, type Change} from '../incident/changes';
import {isMessageTemplate, messageTemplates, newEvent} from '../incident/events';
import {isSeverity, severityLevels} from '../incident/policy';
import {parseServices, validateForm} from '../actions/forms';
import {messageOf, UsageError} from '../errors';
import {toSingleLine} from '../text/sanitize';
import {fillTemplate, messageValues, missingFieldsText, type GivenFields, type MessageInput} from '../incident/messages';
import {readTemplate} from '../incident/template-files';
import {postmortemMarkdown} from '../incident/postmortem';
import {readerTimeZone} from '../incident/timeline';
import type {Settings} from '../config/settings';
import {buildSnapshot, isUnhealthy, snapshotText, type JournalRead} from './snapshot-report';
import {readSourcesOnce, sourcesFor} from '../sources/source-list';

export type Output = {write: (text: string) => void};

const stderr: Output = {write: text => process.stderr.write(text)};

/** What the outbox must tell, as a warning line on `err`. */
const tellOn = (err: Output) => (text: string) => err.write(`warroom: ${text}\n`);

/** An incident file that could not be read is skipped, never silently: one line each on stderr. */
function warnSkipped(skipped: readonly SkippedIncident[], err: Output): void {
	for (const {incident, message} of skipped) err.write(`warroom: ${incident} skipped: ${message}\n`);
}

/** An incident that cannot be found is bad input (exit 2); a store that cannot be reached is not (exit 1). */
const asUsageError = (error: unknown) => (error instanceof StoreUnreachable ? error : new UsageError(messageOf(error)));

export function incidentArgument(id: string | undefined): string {
	if (!id || !isIncidentId(id)) throw new UsageError(`expected an incident id like INC-3, got "${id ?? ''}"`);
	return id;
}

/** A report's `--format`: text for a person, JSON for a script. */
export function checkFormat(format: string): asserts format is 'text' | 'json' {
	if (format !== 'json' && format !== 'text') throw new UsageError(`--format takes text or json, got "${format}"`);
}

/**
 * The incident a snapshot reports, and how reading it went: the time to list
 * and read it (the journal's lag as one run sees it), or, when the store
 * cannot be reached, why, with no incident; and the store's link just after.
 */
export async function readSnapshotIncident(
	journal: Journal,
	incidentId?: string,
): Promise<{lookup: Lookup; read: JournalRead; link: JournalLink}> {
	const started = performance.now();
	try {
		const lookup = await lookUpIncident(journal, incidentId);
		return {lookup, read: {tookMs: Math.round(performance.now() - started)}, link: journal.link()};
	} catch (error) {
		// The snapshot's finding (exit 1), reported like a failed source: not bad usage.
		if (error instanceof StoreUnreachable)
			return {lookup: {skipped: []}, read: {unreachable: error.message}, link: journal.link()};
		// No unresolved incident is a fine answer ("incident": null); a named one that is missing is not.
		throw incidentId ? new UsageError(messageOf(error)) : error;
	}
}

export async function snapshotCommand(
	settings: Settings,
	options: {format: string; incidentId?: string},
	out: Output,
	err: Output = stderr,
): Promise<number> {
	checkFormat(options.format);
	// Closed before the sources are read: a shared store's connections have nothing more to do.
	const {lookup, read, link} = await withJournal(
		settings,
		journal => readSnapshotIncident(journal, options.incidentId),
		tellOn(err),
	);
	warnSkipped(lookup.skipped, err);
	const incident = lookup.found?.incident;
	const readings = await readSourcesOnce(sourcesFor({startedAt: Date.now(), config: settings.config}), settings.redact);
	const now = Date.now();
	const report = buildSnapshot({
		policy: settings.policy,
		...(incident ? {incident} : {}),
		readings,
		now,
		skipped: lookup.skipped,
		journal: {link, read},
	});
	// The readings are masked already; the incident and the journal's problems are not.
	out.write(`${settings.redact(options.format === 'json' ? JSON.stringify(report, null, 2) : snapshotText(report, now))}\n`);
	return isUnhealthy(report) ? 1 : 0;
}

export async function declareCommand(
	settings: Settings,
	options: {severity?: string; title?: string; services?: string; commander?: string},
	out: Output,
	err: Output = stderr,
): Promise<number> {
	const severity = options.severity ?? '';
	if (!isSeverity(severity)) throw new UsageError(`--severity takes one of ${severityLevels.join(', ')}, got "${severity}"`);
	// The command line is outside text like any other: cleaned once, for the journal and the echo alike.
	const values = {severity, title: toSingleLine(options.title ?? ''), services: toSingleLine(options.services ?? '')};
	const problem = validateForm('declare', values);
	if (problem) throw new UsageError(`--${problem.field}: ${problem.message}`);
	// Reported once the declaration is written: a file that cannot be read never stops one.
	let skipped: SkippedIncident[] = [];
	const declared = newEvent.declared({
		title: values.title,
		severity,
		services: parseServices(values.services),
		...(options.commander ? {commander: toSingleLine(options.commander)} : {}),
	});
	const id = await withJournal(
		settings,
		journal => {
			const desk = new IncidentDesk(
				journal,
				view => {
					skipped = view.problems.filter(problem => 'incident' in problem);
				},
				{onError: error => err.write(`warroom: ${messageOf(error)}\n`)},
			);
			return desk.declare(declared);
		},
		tellOn(err),
	);
	warnSkipped(skipped, err);
	out.write(`${id} declared: ${severity} ${values.title}\n`);
	return 0;
}

/** `note INC-N TEXT`, `status INC-N STATUS`, `severity INC-N P0..P3`. */
export async function recordCommand(
	settings: Settings,
	command: 'note' | 'status' | 'severity',
	args: string[],
	out: Output,
	err: Output = stderr,
): Promise<number> {
	const [idArgument, ...rest] = args;
	const id = incidentArgument(idArgument);
	const value = rest.join(' ').trim();
	const change: Change =
		command === 'note'
			? {type: 'note', text: value}
			: command === 'status'
				? {type: 'status', status: value}
				: {type: 'severity', severity: value};
	const written = await withJournal(
		settings,
		async journal => {
			const {incident} = await resolveIncident(journal, id).catch(error => {
				throw asUsageError(error);
			});
			const outcome = eventFor(change, incident);
			if ('refused' in outcome) throw new UsageError(outcome.refused);
			return journal.append(id, outcome.event);
		},
		tellOn(err),
	);
	out.write(
		written.pending
			? `${id}: ${command} kept in the outbox: the incident store cannot be reached; the next warroom on this data directory sends it\n`
			: `${id}: ${command} recorded (event ${written.seq})\n`,
	);
	return 0;
}

type GivenFlags = {services?: string; eta?: string; impact?: string; rootCause?: string; resolution?: string; incident?: string};

const givenFields = (flags: GivenFlags): GivenFields =>
	Object.fromEntries(
		(['services', 'eta', 'impact', 'rootCause', 'resolution'] as const).flatMap(name =>
			flags[name] === undefined ? [] : [[name, flags[name]]],
		),
	);

/**
 * What a text from the journal is written from: the incident `--incident`
 * names, else the newest unresolved (a post-mortem, written after the
 * resolution, names it), and what the flags give.
 */
async function journalTextInput(settings: Settings, flags: GivenFlags): Promise<MessageInput> {
	const {incident} = await withJournal(settings, journal => resolveIncident(journal, flags.incident), tellOn(stderr)).catch(
		error => {
			throw asUsageError(error);
		},
	);
	return {
		policy: settings.policy,
		incident,
		given: givenFields(flags),
		now: Date.now(),
		zone: readerTimeZone.zone,
		redact: settings.redact,
	};
}

const endingInNewline = (text: string) => (text.endsWith('\n') ? text : `${text}\n`);

/** `template initial|update|resolution|internal`: the message as the console would produce it, on stdout; nothing is journaled, since nothing was sent. */
export async function templateCommand(
	settings: Settings,
	name: string | undefined,
	flags: GivenFlags,
	out: Output,
): Promise<number> {
	if (name === undefined || !isMessageTemplate(name)) {
		throw new UsageError(`template takes one of ${messageTemplates.join(', ')}, got "${name ?? ''}"`);
	}
	const input = await journalTextInput(settings, flags);
	const filled = fillTemplate(await readTemplate(settings.runbookDirs, name), messageValues(input));
	if ('missing' in filled) throw new UsageError(missingFieldsText(name, filled.missing));
	out.write(endingInNewline(filled.text));
	return 0;
}

/** `postmortem`: the Markdown draft from the journal, on stdout. */
export async function postmortemCommand(settings: Settings, flags: GivenFlags, out: Output): Promise<number> {
	out.write(endingInNewline(postmortemMarkdown(await journalTextInput(settings, flags))));
	return 0;
}
