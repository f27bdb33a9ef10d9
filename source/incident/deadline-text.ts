/** Deadlines in words, for the header and the snapshot's text format. */
import {formatClock, formatSpan} from '../duration';
import type {Deadline} from './clock';

/**
 * `respond in 14m`, `escalate OVERDUE 3m`, `respond done`: coarse, so the
 * line that lists every deadline changes at most once a minute.
 */
export function deadlineSummary(deadline: Pick<Deadline, 'label' | 'status' | 'dueAt' | 'metAt'>, now: number): string {
	switch (deadline.status) {
		case 'pending':
			return `${deadline.label} in ${formatSpan(deadline.dueAt - now)}`;
		case 'overdue':
			return `${deadline.label} OVERDUE ${formatSpan(now - deadline.dueAt)}`;
		case 'met':
			return `${deadline.label} done`;
		case 'late':
			return `${deadline.label} LATE ${formatSpan((deadline.metAt ?? deadline.dueAt) - deadline.dueAt)}`;
		case 'missed':
			return `${deadline.label} MISSED`;
	}
}

/** The soonest open deadline to the second: `respond in 14:32` or `respond OVERDUE +03:12`. */
export function deadlineCountdown(deadline: Deadline, now: number): string {
	return now > deadline.dueAt
		? `${deadline.label} OVERDUE +${formatClock(now - deadline.dueAt)}`
		: `${deadline.label} in ${formatClock(deadline.dueAt - now)}`;
}
