/**
 * The severity policy: what each severity demands by when, and the response
 * phases with their checklists, as `runbooks/severity.yaml` states them
 * (read by policy-file.ts). Durations are in milliseconds.
 */

export const severityLevels = ['P0', 'P1', 'P2', 'P3'] as const;
export type Severity = (typeof severityLevels)[number];

export const isSeverity = (value: string): value is Severity => (severityLevels as readonly string[]).includes(value);

/** Lower rank is more severe: P0 outranks P3. */
export const severityRank = (severity: Severity) => severityLevels.indexOf(severity);

/** What satisfies a deadline; see the comment at the top of severity.yaml. */
export const deadlineTriggers = ['followUp', 'escalated', 'communicated', 'resolved'] as const;
export type DeadlineTrigger = (typeof deadlineTriggers)[number];

export type DeadlineRule = {
	/** A short, stable name: `respond`, `escalate`, `customer`. */
	id: string;
	label: string;
	within: number;
	metBy: DeadlineTrigger[];
};

export type SeverityRule = {
	name: string;
	definition: string;
	response: string;
	/** Whom an escalation goes to, prefilled in the escalation form. */
	escalateTo: string;
	deadlines: DeadlineRule[];
	/** How often customers are promised an update once told. */
	updateEvery?: number;
};

export type Phase = {
	id: string;
	label: string;
	/** From and until, after the declaration; a phase with `whenResolved` follows the resolution instead. */
	from?: number;
	until?: number;
	whenResolved?: boolean;
	checklist: string[];
};

export type Policy = {
	severities: Record<Severity, SeverityRule>;
	phases: Phase[];
	/** How long after the resolution the post-mortem is due: a deadline on the clock until it is written (`P`, then `w`). */
	postmortemWithin?: number;
};
