/**
 * The messages a responder sends (the seed's initial and resolution customer
 * communications, a status update, an internal engineering update), filled
 * from the journal. Pure: (policy, incident, what the responder gave, now,
 * zone) in, the text or the fields still missing out. A message never goes
 * out with a `{field}` left in it: what cannot be derived is asked for
 * (a form in the console, a flag on the command line). The text is plain,
 * so a notifier can send the same one.
 */
import {formatSpan} from '../text/duration';
import {stripControl, toSingleLine} from '../text/sanitize';
import {onTarget} from './timeline';
import type {Incident} from './incident';
import type {Policy} from './policy';

/** What only the responder knows, with the flag `warroom template` takes it by and the form's label. */
export const askedFields = {
	services: {flag: '--services', label: 'Affected services'},
	impact: {flag: '--impact', label: 'Impact on users'},
	rootCause: {flag: '--root-cause', label: 'Root cause'},
	resolution: {flag: '--resolution', label: 'What was done'},
	eta: {flag: '--eta', label: 'ETA for resolution'},
} as const;
export type AskedField = keyof typeof askedFields;
export type GivenFields = Partial<Record<AskedField, string>>;

/** What a text from the journal (a message, the post-mortem) is written from. */
export type MessageInput = {
	policy: Policy;
	incident: Incident;
	given: GivenFields;
	now: number;
	/** The reader's time zone, shown beside UTC. */
	zone: string;
	redact: (text: string) => string;
};

/** Without an `updateEvery` in the policy (P2, P3), updates still promise a time. */
const defaultUpdateEveryMs = 60 * 60_000;
/** The seed: the incident review meets within 24 hours of the resolution. */
const reviewWithinMs = 24 * 60 * 60_000;
/** A value longer than this is cut: a message is read on a phone and a status page. */
const longestValue = 300;

const pad = (value: number) => String(value).padStart(2, '0');

/** `2026-11-27 14:37 UTC / 15:37 CET`: customers and responders read UTC, the bridge reads its own clock. */
export function bothZones(at: number, zone: string): string {
	const date = new Date(at);
	const utc = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} UTC`;
	if (zone === 'UTC' || zone === 'Etc/UTC') return utc;
	const local = new Intl.DateTimeFormat('en-GB', {timeZone: zone, hour: '2-digit', minute: '2-digit', timeZoneName: 'short'});
	return `${utc} / ${local.format(date)}`;
}

/** `30 minutes`, `1 hour`, `2 hours`: how a customer reads an interval. */
const intervalText = (ms: number) =>
	ms % 3_600_000 === 0 ? `${ms / 3_600_000} hour${ms === 3_600_000 ? '' : 's'}` : `${Math.round(ms / 60_000)} minutes`;

/** One line, no controls, no secret, not too long: every value comes from outside. */
function cleanValue(value: string, redact: (text: string) => string): string {
	const line = redact(toSingleLine(value));
	return line.length > longestValue ? `${line.slice(0, longestValue - 1)}…` : line;
}

/** What was done: the mitigations that ran to success, in order. */
function mitigations(incident: Incident): string | undefined {
	const done = incident.events.flatMap(event =>
		event.type === 'action_finished' && event.outcome === 'ok' ? [`ran ${onTarget(event)}`] : [],
	);
	return done.length > 0 ? done.join('; ') : undefined;
}

/** Every field the journal, the policy and the responder give; a field absent here is missing. */
export function messageValues({policy, incident, given, now, zone, redact}: MessageInput): Record<string, string> {
	const every = policy.severities[incident.severity].updateEvery ?? defaultUpdateEveryMs;
	const end = incident.resolvedAt ?? now;
	const done = mitigations(incident);
	const services = given.services ?? (incident.services.length > 0 ? incident.services.join(', ') : undefined);
	const values: Record<string, string | undefined> = {
		id: incident.id,
		description: incident.title,
		severity: incident.severity,
		status: incident.status,
		commander: incident.commander ?? 'not named yet',
		services,
		timestamp: bothZones(now, zone),
		declared: bothZones(incident.declaredAt, zone),
		duration: formatSpan(Math.max(0, end - incident.declaredAt)),
		eta: given.eta ?? (incident.resolvedAt === undefined ? 'Under investigation' : 'resolved'),
		impact: given.impact,
		rootCause: given.rootCause,
		resolution: given.resolution ?? done,
		done: done ?? 'no mitigation run yet',
		updateEvery: intervalText(every),
		nextUpdate: bothZones(now + every, zone),
		reviewBy: bothZones(end + reviewWithinMs, zone),
	};
	return Object.fromEntries(
		Object.entries(values).flatMap(([name, value]) =>
			value === undefined || value.trim() === '' ? [] : [[name, cleanValue(value, redact)]],
		),
	);
}

const fieldToken = /\{([A-Za-z]+)\}/g;

/** The fields a template names, in order, each once. */
export const templateFields = (template: string) => [...new Set([...template.matchAll(fieldToken)].map(match => match[1]!))];

export type Filled = {text: string} | {missing: string[]};

/** The template with every `{field}` replaced, or the fields it names that `values` lacks. One pass: a value is never expanded again. */
export function fillTemplate(template: string, values: Record<string, string>): Filled {
	const missing = templateFields(template).filter(name => !Object.hasOwn(values, name));
	if (missing.length > 0) return {missing};
	return {text: stripControl(template).replace(fieldToken, (_, name: string) => values[name]!)};
}

/** How to give the missing fields: `--impact (Impact on users)`; a field nobody can give names the template's mistake. */
export function missingFieldsText(template: string, missing: readonly string[]): string {
	const parts = missing.map(name =>
		Object.hasOwn(askedFields, name)
			? `${askedFields[name as AskedField].flag} (${askedFields[name as AskedField].label.toLowerCase()})`
			: `{${name}} (not a field warroom knows)`,
	);
	return `the ${template} message needs ${parts.join(', ')}`;
}
