/** Deadlines in words, for the header and the snapshot's text format. */
import {formatClock, formatSpan} from '../text/duration';
import type {Deadline} from './clock';

/** The deadline's name where space is short: `respond`, `escalate`, `customer`, `update`. */
export const shortName = (deadline: Pick<Deadline, 'id'>) => deadline.id.replace(/-\d+$/, '');

/**
 * `respond in 14m`, `escalate OVERDUE 3m`, `respond done`: coarse, so the
 * line that lists every deadline changes at most once a minute.
 */
export function deadlineSummary(name: string, deadline: Pick<Deadline, 'status' | 'dueAt' | 'metAt'>, now: number): string {
	switch (deadline.status) {
		case 'pending':
			return `${name} in ${formatSpan(deadline.dueAt - now)}`;
		case 'overdue':
			return `${name} OVERDUE ${formatSpan(now - deadline.dueAt)}`;
		case 'met':
			return `${name} done`;
		case 'late':
			return `${name} LATE ${formatSpan((deadline.metAt ?? deadline.dueAt) - deadline.dueAt)}`;
		case 'missed':
			return `${name} MISSED`;
	}
}

/** The soonest open deadline to the second: `respond in 14:32` or `respond OVERDUE +03:12`. */
export function deadlineCountdown(name: string, deadline: Pick<Deadline, 'dueAt'>, now: number): string {
	return now > deadline.dueAt
		? `${name} OVERDUE +${formatClock(now - deadline.dueAt)}`
		: `${name} in ${formatClock(deadline.dueAt - now)}`;
}
