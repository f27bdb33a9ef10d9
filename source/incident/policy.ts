/**
 * The severity policy: what each severity demands by when, and the response
 * phases with their checklists. Loaded from `runbooks/severity.yaml`.
 */
import {readFileSync} from 'node:fs';
import {z} from 'zod';
import {duration, parseYamlAs, section} from '../yaml-input';

export const severityLevels = ['P0', 'P1', 'P2', 'P3'] as const;
export type Severity = (typeof severityLevels)[number];

export const isSeverity = (value: string): value is Severity => (severityLevels as readonly string[]).includes(value);

/** Lower rank is more severe: P0 outranks P3. */
export const severityRank = (severity: Severity) => severityLevels.indexOf(severity);

/** What satisfies a deadline; see the comment at the top of severity.yaml. */
export const deadlineTriggers = ['followUp', 'escalated', 'communicated', 'resolved'] as const;
export type DeadlineTrigger = (typeof deadlineTriggers)[number];

const deadlineRule = section({
	id: z.string().regex(/^[a-z][a-z-]*$/, 'expected a lower-case id like "respond"'),
	label: z.string().min(1),
	within: duration(),
	metBy: z.array(z.enum(deadlineTriggers)).min(1),
});

const severityRule = section({
	name: z.string(),
	definition: z.string(),
	response: z.string(),
	escalateTo: z.string(),
	deadlines: z.array(deadlineRule),
	updateEvery: duration().optional(),
});

const phase = section({
	id: z.string(),
	label: z.string(),
	from: duration().optional(),
	until: duration().optional(),
	whenResolved: z.boolean().optional(),
	checklist: z.array(z.string()),
});

const policySchema = section({
	severities: section({P0: severityRule, P1: severityRule, P2: severityRule, P3: severityRule}),
	phases: z.array(phase).min(1),
});

export type DeadlineRule = z.infer<typeof deadlineRule>;
export type SeverityRule = z.infer<typeof severityRule>;
export type Phase = z.infer<typeof phase>;
export type Policy = z.infer<typeof policySchema>;

export function parsePolicy(text: string, fileName: string): Policy {
	return parseYamlAs(text, fileName, policySchema);
}

export function loadPolicy(file: string): Policy {
	return parsePolicy(readFileSync(file, 'utf8'), file);
}
