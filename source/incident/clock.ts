/**
 * The severity clock: every deadline the policy sets for an incident, where
 * each stands at `now`, the response phase, and the time spent in each
 * severity. Pure: (policy, incident, now) in, plain data out.
 *
 * A severity change at time t:
 * - to a more severe level: each open deadline is due at the earlier of its
 *   current due time and t + the new level's window. Escalating never buys
 *   time, and never makes a deadline overdue the moment it is raised;
 * - to a less severe level: each open deadline is due at the later of its
 *   current due time and declaration + the new level's window, as if the
 *   incident had been that severity from the start; it never tightens;
 * - a deadline the new level does not have is dropped;
 * - a deadline already overdue at t is kept as missed and stays red, and the
 *   new level's deadline of the same kind starts beside it;
 * - a deadline already met stays met.
 * Resolving closes the open deadlines; overdue ones stay missed, and opens
 * the post-mortem's (`postmortemWithin` after the resolution), met when the
 * draft is copied or written out.
 *
 * Clock skew: an event stamped before the declaration (a console whose clock
 * is behind) meets no deadline and takes effect as of the declaration; a
 * declaration stamped in the future shows no time elapsed until it is reached.
 *
 * The journal is folded once per event by `replayIncident` (see
 * `deadlineTriggers`), so a tick costs O(deadlines × severity changes),
 * however long the journal.
 */
import type {Incident} from './incident';
import {severityRank, type DeadlineRule, type Phase, type Policy, type Severity} from './policy';

/**
 * - pending: open, not yet due
 * - overdue: open and past due
 * - met: done on time
 * - late: done after it was due
 * - missed: was overdue when a severity change or the resolution closed it
 */
export type DeadlineStatus = 'pending' | 'overdue' | 'met' | 'late' | 'missed';

export type Deadline = {
	id: string;
	label: string;
	severity: Severity;
	dueAt: number;
	status: DeadlineStatus;
	/** When the deadline was met (met, late). */
	metAt?: number;
};

export type SeverityTime = {severity: Severity; ms: number};

export type Clock = {
	elapsedMs: number;
	/** Every deadline, in due order. */
	deadlines: Deadline[];
	/** The open deadline due soonest, if any. */
	next?: Deadline;
	phase: Phase;
	timeInSeverity: SeverityTime[];
};

/** True for the statuses drawn in red: the deadline was or is being missed. */
export const isMissed = (status: DeadlineStatus) => status === 'overdue' || status === 'late' || status === 'missed';

/** When `rule` was first satisfied up to `until`, if it was. */
function metAtBefore(rule: DeadlineRule, incident: Incident, until: number): number | undefined {
	let metAt: number | undefined;
	for (const trigger of rule.metBy) {
		const at = incident.firstTriggers[trigger];
		if (at !== undefined && at <= until && (metAt === undefined || at < metAt)) metAt = at;
	}
	return metAt;
}

type OpenDeadline = {rule: DeadlineRule; severity: Severity; dueAt: number};

const settled = (open: OpenDeadline, metAt: number): Deadline => ({
	id: open.rule.id,
	label: open.rule.label,
	severity: open.severity,
	dueAt: open.dueAt,
	status: metAt <= open.dueAt ? 'met' : 'late',
	metAt,
});

const withStatus = (open: OpenDeadline, status: DeadlineStatus): Deadline => ({
	id: open.rule.id,
	label: open.rule.label,
	severity: open.severity,
	dueAt: open.dueAt,
	status,
});

function severityDeadlines(policy: Policy, incident: Incident, now: number): Deadline[] {
	const done: Deadline[] = [];
	const metIds = new Set<string>();
	let open = new Map<string, OpenDeadline>();
	const end = incident.resolvedAt ?? now;

	const settleUpTo = (until: number) => {
		for (const [id, deadline] of open) {
			const metAt = metAtBefore(deadline.rule, incident, until);
			if (metAt === undefined) continue;
			done.push(settled(deadline, metAt));
			metIds.add(id);
			open.delete(id);
		}
	};

	incident.severityChanges.forEach(({severity, at}, index) => {
		if (index === 0) {
			open = new Map(policy.severities[severity].deadlines.map(rule => [rule.id, {rule, severity, dueAt: at + rule.within}]));
			return;
		}
		settleUpTo(at);
		const rules = policy.severities[severity].deadlines.filter(rule => !metIds.has(rule.id));
		const previous = incident.severityChanges[index - 1]!.severity;
		const raised = severityRank(severity) < severityRank(previous);
		for (const deadline of open.values()) {
			if (deadline.dueAt < at) done.push(withStatus(deadline, 'missed'));
		}
		const next = new Map<string, OpenDeadline>();
		for (const rule of rules) {
			const current = open.get(rule.id);
			const stillOpen = current && current.dueAt >= at ? current.dueAt : undefined;
			let dueAt = at + rule.within;
			if (stillOpen !== undefined) {
				dueAt = raised ? Math.min(stillOpen, at + rule.within) : Math.max(stillOpen, incident.declaredAt + rule.within);
			}
			next.set(rule.id, {rule, severity, dueAt});
		}
		open = next;
	});

	settleUpTo(end);
	for (const deadline of open.values()) {
		if (incident.resolvedAt === undefined) done.push(withStatus(deadline, now > deadline.dueAt ? 'overdue' : 'pending'));
		else if (deadline.dueAt < incident.resolvedAt) done.push(withStatus(deadline, 'missed'));
	}
	return done;
}

/** Customer updates: each message sent starts the wait for the next one. */
function updateDeadlines(policy: Policy, incident: Incident, now: number): Deadline[] {
	const sent = incident.customerMessages;
	const deadlines: Deadline[] = [];
	sent.forEach(({at, severity}, index) => {
		const every = policy.severities[severity].updateEvery;
		if (every === undefined) return;
		const dueAt = at + every;
		const nextSent = sent[index + 1]?.at;
		const base = {id: `update-${index + 1}`, label: 'next update', severity, dueAt};
		if (nextSent !== undefined) {
			deadlines.push({...base, status: nextSent <= dueAt ? 'met' : 'late', metAt: nextSent});
		} else if (incident.resolvedAt === undefined) {
			deadlines.push({...base, status: now > dueAt ? 'overdue' : 'pending'});
		} else if (dueAt < incident.resolvedAt) {
			deadlines.push({...base, status: 'missed'});
		}
	});
	return deadlines;
}

export function currentPhase(policy: Policy, incident: Incident, now: number): Phase {
	const timed = policy.phases.filter(phase => !phase.whenResolved);
	if (incident.resolvedAt !== undefined) {
		return policy.phases.find(phase => phase.whenResolved) ?? timed[timed.length - 1]!;
	}
	// Another console's declaration can be a moment ahead of this one's clock.
	const elapsed = Math.max(0, now - incident.declaredAt);
	return (
		timed.find(phase => (phase.from ?? 0) <= elapsed && (phase.until === undefined || elapsed < phase.until)) ??
		timed[timed.length - 1]!
	);
}

function timeInSeverity(incident: Incident, now: number): SeverityTime[] {
	const end = incident.resolvedAt ?? now;
	const totals = new Map<Severity, number>();
	incident.severityChanges.forEach(({severity, at}, index) => {
		const until = incident.severityChanges[index + 1]?.at ?? end;
		totals.set(severity, (totals.get(severity) ?? 0) + Math.max(0, until - at));
	});
	return [...totals].map(([severity, ms]) => ({severity, ms}));
}

/** The post-mortem, due once the incident is resolved. */
function postmortemDeadline(policy: Policy, incident: Incident, now: number): Deadline[] {
	if (incident.resolvedAt === undefined || policy.postmortemWithin === undefined) return [];
	const base = {
		id: 'post-mortem',
		label: 'post-mortem',
		severity: incident.severity,
		dueAt: incident.resolvedAt + policy.postmortemWithin,
	};
	const metAt = incident.postmortemAt;
	if (metAt !== undefined) return [{...base, status: metAt <= base.dueAt ? 'met' : 'late', metAt}];
	return [{...base, status: now > base.dueAt ? 'overdue' : 'pending'}];
}

export function computeClock(policy: Policy, incident: Incident, now: number): Clock {
	const deadlines = [
		...severityDeadlines(policy, incident, now),
		...updateDeadlines(policy, incident, now),
		...postmortemDeadline(policy, incident, now),
	].sort((a, b) => a.dueAt - b.dueAt);
	const next = deadlines.find(deadline => deadline.status === 'pending' || deadline.status === 'overdue');
	return {
		elapsedMs: Math.max(0, (incident.resolvedAt ?? now) - incident.declaredAt),
		deadlines,
		...(next ? {next} : {}),
		phase: currentPhase(policy, incident, now),
		timeInSeverity: timeInSeverity(incident, now),
	};
}
