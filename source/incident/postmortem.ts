/**
 * The post-mortem draft, in Markdown, from the journal: summary, impact (time
 * in each severity), the timeline, the actions taken with their commands and
 * results, the response figures, then what only the incident review can
 * write (root cause, action items, lessons learned), each under its heading
 * with what is to be written there. Pure: the same input as a message.
 */
import {formatSpan, formatTook} from '../text/duration';
import {computeClock} from './clock';
import {bothZones, type MessageInput} from './messages';
import {describeEvent, onTarget, resultText} from './timeline';
import type {Incident} from './incident';
import {isCommunicationTemplate, type JournalEvent} from './events';
import {toSingleLine} from '../text/sanitize';

const toBeWritten = 'To be written at the incident review.';

/** One table cell: one line, no controls, no secret, and no `|` to break the row. */
const cell = (text: string, redact: (text: string) => string) => redact(toSingleLine(text)).replace(/\|/g, '\\|');

/** A customer message recorded as sent, or copied or written out. */
const isCustomerMessageEvent = (event: JournalEvent) =>
	event.type === 'communicated' || (event.type === 'message_produced' && isCommunicationTemplate(event.template));

/** The span from the declaration to the first event `matches` accepts, or how it reads when there is none. */
function firstAfterDeclaration(incident: Incident, matches: (event: JournalEvent) => boolean): string {
	const event = incident.events.find((candidate, index) => index > 0 && matches(candidate));
	return event === undefined ? 'none recorded' : formatSpan(Math.max(0, Date.parse(event.at) - incident.declaredAt));
}

/** An action's Result cell: how it ended and how long it took, and what it said it did. */
function finishedResult(end: Extract<JournalEvent, {type: 'action_finished'}>): string {
	if (end.outcome === 'dry-run') return 'not run (dry run)';
	const said = end.result === undefined ? '' : `: ${end.result}`;
	return `${resultText(end.outcome, end.exitCode, end.error)} in ${formatTook(end.durationMs)}${said}`;
}

function actionsTable(incident: Incident, redact: (text: string) => string): string[] {
	const started = incident.events.filter(event => event.type === 'action_started');
	if (started.length === 0) return ['No mitigation was run from the console.'];
	const rows = started.map(start => {
		const end = incident.events.find(
			event =>
				event.type === 'action_finished' &&
				event.seq > start.seq &&
				event.action === start.action &&
				event.target === start.target,
		);
		const result = end?.type === 'action_finished' ? finishedResult(end) : 'no result recorded';
		return `| ${cell(start.at, redact)} | ${cell(onTarget(start), redact)} | \`${cell(start.command, redact).replace(/`/g, "'")}\` | ${cell(result, redact)} |`;
	});
	return ['| Started (UTC) | Action | Command | Result |', '|---|---|---|---|', ...rows];
}

export function postmortemMarkdown({policy, incident, given, now, zone, redact}: MessageInput): string {
	const clock = computeClock(policy, incident, now);
	const title = cell(incident.title, redact);
	const resolved = incident.resolvedAt === undefined ? 'not resolved yet' : bothZones(incident.resolvedAt, zone);
	const services = incident.services.length > 0 ? incident.services.join(', ') : 'none named';
	const section = (heading: string, body: string | undefined) => [
		`## ${heading}`,
		'',
		body === undefined ? toBeWritten : cell(body, redact),
		'',
	];
	return [
		`# Post-mortem: ${incident.id} — ${title}`,
		'',
		'## Summary',
		'',
		`- Severity: ${incident.severity} (status: ${incident.status})`,
		`- Services: ${cell(services, redact)}`,
		`- Commander: ${cell(incident.commander ?? 'not named', redact)}`,
		`- Declared: ${bothZones(incident.declaredAt, zone)}`,
		`- Resolved: ${resolved}`,
		`- Duration: ${formatSpan(clock.elapsedMs)}`,
		...(incident.drill === undefined ? [] : [`- Drill: ${cell(incident.drill, redact)} (no real system was touched)`]),
		'',
		'## Impact',
		'',
		...clock.timeInSeverity.map(({severity, ms}) => `- ${severity}: ${formatSpan(ms)}`),
		...(given.impact === undefined ? [] : [`- On users: ${cell(given.impact, redact)}`]),
		'',
		'## Detection and response',
		'',
		'- Detection to declaration: not in the journal, which starts at the declaration',
		`- Declaration to first response: ${firstAfterDeclaration(incident, () => true)}`,
		`- Declaration to escalation: ${firstAfterDeclaration(incident, event => event.type === 'escalated')}`,
		`- Declaration to first customer message: ${firstAfterDeclaration(incident, isCustomerMessageEvent)}`,
		`- Declaration to first mitigation: ${firstAfterDeclaration(incident, event => event.type === 'action_started' && !event.dryRun)}`,
		`- Declaration to resolution: ${incident.resolvedAt === undefined ? 'not resolved yet' : formatSpan(incident.resolvedAt - incident.declaredAt)}`,
		'',
		'## Timeline (UTC)',
		'',
		'| Time | Who | What |',
		'|---|---|---|',
		...incident.events.map(event => `| ${event.at} | ${cell(event.actor, redact)} | ${cell(describeEvent(event), redact)} |`),
		'',
		'## Actions taken',
		'',
		...actionsTable(incident, redact),
		'',
		...section('Root cause', given.rootCause),
		'## Action items',
		'',
		'| Item | Owner | Due |',
		'|---|---|---|',
		`| ${toBeWritten} | incident commander | ${bothZones((incident.resolvedAt ?? now) + 7 * 24 * 60 * 60_000, zone)} |`,
		'',
		...section('Lessons learned', undefined),
	].join('\n');
}
