/**
 * Reads a severity policy from YAML (`severity.yaml` in a runbook directory),
 * validated field by field. The built-in one is validated at build time and
 * shipped compiled (see scripts/build.mjs), so a plain start loads no parser.
 */
import * as z from 'zod/mini';
import {duration, parseYamlAs, readInputFile, section} from '../config/yaml-input';
import {deadlineTriggers, type Policy} from './policy';

const deadlineRule = section({
	id: z.string().check(z.regex(/^[a-z][a-z-]*$/, 'expected a lower-case id like "respond"')),
	label: z.string().check(z.minLength(1)),
	within: duration(),
	metBy: z.array(z.enum(deadlineTriggers)).check(z.minLength(1)),
});

const severityRule = section({
	name: z.string(),
	definition: z.string(),
	response: z.string(),
	escalateTo: z.string(),
	deadlines: z.array(deadlineRule),
	updateEvery: z.optional(duration()),
});

const phase = section({
	id: z.string(),
	label: z.string(),
	from: z.optional(duration()),
	until: z.optional(duration()),
	whenResolved: z.optional(z.boolean()),
	checklist: z.array(z.string()),
});

const policySchema: z.ZodMiniType<Policy> = section({
	severities: section({P0: severityRule, P1: severityRule, P2: severityRule, P3: severityRule}),
	phases: z.array(phase).check(z.minLength(1)),
	postmortemWithin: z.optional(duration()),
});

export function parsePolicy(text: string, fileName: string): Policy {
	return parseYamlAs(text, fileName, policySchema);
}

export function loadPolicy(file: string): Policy {
	return parsePolicy(readInputFile(file, file), file);
}
