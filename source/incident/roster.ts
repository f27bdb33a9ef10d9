/**
 * The escalation roster: whom the config's `contacts` name for the role an
 * escalation goes to, shown beside the escalation deadline once it is near.
 * Pure: (contacts, policy, clock, now) in, one line or nothing out.
 *
 * A contact answers an escalation when its role shares a word with the
 * severity's `escalateTo` (P0 "SRE team lead" finds "SRE On-Call"; P1
 * "engineering manager" finds "Engineering Manager"); words every role has
 * ("team", "lead", "on-call") do not count.
 */
import type {Contact} from '../config/types';
import {toSingleLine} from '../text/sanitize';
import type {Clock} from './clock';
import type {Policy, Severity} from './policy';

/** The escalation deadline is near inside this much of its due time, or once it is overdue. */
export const escalationNearMs = 30 * 60_000;

const commonWords = new Set(['team', 'lead', 'on-call', 'oncall', 'the', 'and', 'if', 'to']);

const wordsOf = (text: string) =>
	new Set(
		text
			.toLowerCase()
			.split(/[^a-z0-9-]+/)
			.filter(word => word.length > 1 && !commonWords.has(word)),
	);

/** The contacts an escalation at `severity` goes to, in config order. */
export function escalationContacts(contacts: readonly Contact[], policy: Policy, severity: Severity): Contact[] {
	const wanted = wordsOf(policy.severities[severity].escalateTo);
	return contacts.filter(contact => [...wordsOf(contact.role)].some(word => wanted.has(word)));
}

/** `Engineering Manager +1-555-0101 (else +1-555-0102)`. */
export const contactText = (contact: Contact) =>
	toSingleLine(`${contact.role} ${contact.primary}${contact.secondary ? ` (else ${contact.secondary})` : ''}`);

/** Whom to call, while the escalation deadline is open and near; undefined otherwise, or when the config names nobody for it. */
export function escalationRoster(
	contacts: readonly Contact[],
	policy: Policy,
	severity: Severity,
	clock: Pick<Clock, 'deadlines'>,
	now: number,
): string | undefined {
	const escalation = clock.deadlines.find(
		deadline => deadline.id === 'escalate' && (deadline.status === 'overdue' || deadline.status === 'pending'),
	);
	if (!escalation || escalation.dueAt - now > escalationNearMs) return undefined;
	const found = escalationContacts(contacts, policy, severity);
	return found.length === 0 ? undefined : found.map(contactText).join(' · ');
}
