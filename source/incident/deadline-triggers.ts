/** What each journal event counts as towards the deadlines: the clock's follow-up rules, one exhaustive switch. */
import {isCommunicationTemplate, type JournalEvent} from './events';
import type {DeadlineTrigger} from './policy';

const followUp: readonly DeadlineTrigger[] = ['followUp'];
const resolvedFollowUp: readonly DeadlineTrigger[] = ['followUp', 'resolved'];
const escalatedFollowUp: readonly DeadlineTrigger[] = ['followUp', 'escalated'];
const communicatedFollowUp: readonly DeadlineTrigger[] = ['followUp', 'communicated'];

/** What an event counts as towards the deadlines: everything recorded after the declaration is follow-up work. */
export function deadlineTriggers(event: JournalEvent): readonly DeadlineTrigger[] {
	switch (event.type) {
		case 'declared':
			return [];
		case 'note':
		case 'severity':
		case 'checked':
			return followUp;
		// An action taken is follow-up work; one only rehearsed with --dry-run is not, and its end adds nothing to its start.
		case 'action_started':
			return event.dryRun ? [] : followUp;
		// What a check did is not work done by anyone; evidence is a reading kept, not work; nor is the console's own outbox.
		case 'action_finished':
		case 'check_failed':
		case 'check_recovered':
		case 'evidence':
		case 'notify_queued':
		case 'notify_sent':
		case 'notify_failed':
			return [];
		case 'status':
			return event.status === 'resolved' ? resolvedFollowUp : followUp;
		case 'escalated':
			return escalatedFollowUp;
		case 'communicated':
			return communicatedFollowUp;
		// A customer message copied or written out counts as sent: the responder sends it from there.
		case 'message_produced':
			return isCommunicationTemplate(event.template) ? communicatedFollowUp : followUp;
	}
}
