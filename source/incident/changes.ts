/**
 * What a change asked for at the console (a form, a checklist tick) or on the
 * command line (`note`, `status`, `severity`) writes to the journal. One place
 * decides for both, so both refuse the same things in the same words: a
 * change to what the incident already is would be a false event, and every
 * event recorded counts as follow-up work that meets a deadline.
 */
import {communicationTemplates, isCommunicationTemplate, isStatus, newEvent, statuses, type NewEvent} from './events';
import type {Incident} from './incident';
import {isSeverity, severityLevels} from './policy';
import {toSingleLine} from '../text/sanitize';

/** A change as typed: values are checked here, not trusted, and free text is cleaned before the journal keeps it. */
export type Change =
	| {type: 'note'; text: string}
	| {type: 'status'; status: string}
	| {type: 'severity'; severity: string}
	| {type: 'escalated'; to: string}
	| {type: 'communicated'; template: string}
	/** Ticks the checklist item, or unticks it when it is ticked. */
	| {type: 'checked'; item: string};

/** The event to append, or why nothing is written. */
export type ChangeOutcome = {event: NewEvent} | {refused: string};

export function eventFor(change: Change, incident: Incident): ChangeOutcome {
	switch (change.type) {
		case 'note': {
			const text = toSingleLine(change.text);
			return text === '' ? {refused: 'the note is empty'} : {event: newEvent.note(text)};
		}
		case 'status': {
			const {status} = change;
			if (!isStatus(status)) return {refused: `status takes one of ${statuses.join(', ')}, got "${status}"`};
			if (status === incident.status) return {refused: `${incident.id} is already ${status}`};
			return {event: newEvent.status(status, incident.status)};
		}
		case 'severity': {
			const {severity} = change;
			if (!isSeverity(severity)) return {refused: `severity takes one of ${severityLevels.join(', ')}, got "${severity}"`};
			if (severity === incident.severity) return {refused: `${incident.id} is already ${severity}`};
			return {event: newEvent.severity(severity, incident.severity)};
		}
		case 'escalated': {
			const to = toSingleLine(change.to);
			return to === '' ? {refused: 'say whom it was escalated to'} : {event: newEvent.escalated(to)};
		}
		case 'communicated': {
			const {template} = change;
			if (!isCommunicationTemplate(template)) {
				return {refused: `the customer message is one of ${communicationTemplates.join(', ')}, got "${template}"`};
			}
			return {event: newEvent.communicated(template)};
		}
		case 'checked': {
			const item = toSingleLine(change.item);
			return {event: newEvent.checked(item, incident.checked[item] === undefined)};
		}
	}
}
