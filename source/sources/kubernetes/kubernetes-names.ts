/**
 * The names a Kubernetes action puts on kubectl's command line, checked
 * before any command is built: everything in a row came from the cluster
 * (or a drill script), and a value like `--kubeconfig=/x` or one carrying
 * an escape sequence must never reach an argument array or the screen.
 */
import {toSingleLine} from '../../text/sanitize';

// RFC 1123: a label is 1-63 of [a-z0-9-], starting and ending alphanumeric; a subdomain is dotted labels, 253 at most.
const dnsLabel = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dnsSubdomain = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
// A kubeconfig context is any string to kubectl; we take printable ASCII without spaces, never an option's leading dash.
const contextName = /^(?=.{1,253}$)[!-,.-~][!-~]*$/;

export type NameKind = 'pod' | 'deployment' | 'namespace' | 'container' | 'context';

const rules: Record<NameKind, {pattern: RegExp; expected: string}> = {
	pod: {pattern: dnsSubdomain, expected: 'a DNS-1123 subdomain: lower-case letters, digits, - and ., at most 253'},
	deployment: {pattern: dnsSubdomain, expected: 'a DNS-1123 subdomain: lower-case letters, digits, - and ., at most 253'},
	namespace: {pattern: dnsLabel, expected: 'a DNS label: lower-case letters, digits and -, at most 63'},
	container: {pattern: dnsLabel, expected: 'a DNS label: lower-case letters, digits and -, at most 63'},
	context: {pattern: contextName, expected: 'printable, no spaces, not starting with -, at most 253'},
};

const shownMaxLength = 40;

/** Why `value` is not a valid name of its kind, in words a responder can act on; undefined when it is valid. */
export function nameProblem(kind: NameKind, value: string): string | undefined {
	const rule = rules[kind];
	if (rule.pattern.test(value)) return undefined;
	const shown = toSingleLine(value);
	const cut = shown.length > shownMaxLength ? `${shown.slice(0, shownMaxLength)}… (${value.length} characters)` : shown;
	return `${kind} name "${cut}" is not ${rule.expected}`;
}

/** The first problem among several names, checked in order. */
export const namesProblem = (names: ReadonlyArray<readonly [NameKind, string]>): string | undefined =>
	names.map(([kind, value]) => nameProblem(kind, value)).find(problem => problem !== undefined);
