/**
 * What doctor asks of the cluster: kubectl is there (the configured one, else
 * PATH's) and which version; the context (the configured one, else the
 * current one) exists and its API server answers; and, through `kubectl auth
 * can-i`, whether the Pods panel may read what it reads and the keys may do
 * what they do, asked of the context read (pinned, so every answer is about
 * one cluster). Every kubectl run is given up on after a few seconds: a
 * cluster that hangs makes a finding, never a hung doctor.
 */
import {readIdentity} from '../sources/kubernetes/context';
import {
	contextArgs,
	failureOf,
	kubectlBinary,
	loadExeca,
	parseJson,
	scopeArgs,
	type KubernetesConfig,
} from '../sources/kubernetes/kubectl';
import {messageOf} from '../errors';
import type {Finding} from './finding';

/** What the Pods panel reads: the pods (a list, then a watch), and the deployments, ReplicaSets and events of its details. */
export const panelReads = [
	{verb: 'list', resource: 'pods'},
	{verb: 'watch', resource: 'pods'},
	{verb: 'list', resource: 'deployments'},
	{verb: 'list', resource: 'replicasets'},
	{verb: 'list', resource: 'events'},
] as const;

/** What the Pods panel's keys need beyond the panel's reads, and which keys need it. */
export const keyVerbs = [
	{verb: 'get', resource: 'pods/log', keys: 'l'},
	{verb: 'patch', resource: 'deployments', keys: 'u R'},
	{verb: 'patch', resource: 'deployments/scale', keys: 's'},
] as const;

/** kubectl's own bound on each request (`--request-timeout`, kubectl 1.20 has it). */
const requestTimeout = '3s';
/** …and ours on each kubectl run, should kubectl itself hang. */
const runTimeoutMs = 10_000;

/** One verb on one resource in one scope (`-A`, or `-n NAMESPACE`), and whether `auth can-i` allowed it. */
export type AccessAnswer = {verb: string; resource: string; scope: string[]; allowed: boolean};

const where = (scope: readonly string[]) => (scope[0] === '-n' ? `in namespace ${scope[1]}` : 'in all namespaces');

/** The verbs in a list, grouped by where they apply: `patch deployments, patch deployments/scale in all namespaces`. */
function describeAnswers(answers: readonly AccessAnswer[], label: (answer: AccessAnswer) => string): string {
	const groups = new Map<string, string[]>();
	for (const answer of answers) groups.set(where(answer.scope), [...(groups.get(where(answer.scope)) ?? []), label(answer)]);
	return [...groups].map(([place, labels]) => `${labels.join(', ')} ${place}`).join('; ');
}

const keysOf = (answer: AccessAnswer) => keyVerbs.find(key => key.verb === answer.verb && key.resource === answer.resource)?.keys;

/** The two findings of `auth can-i`'s answers: what the panel may read (missing when denied), what the keys may do (a warning). */
export function accessFindings(answers: readonly AccessAnswer[], context: string): Finding[] {
	const isKey = (answer: AccessAnswer) => keysOf(answer) !== undefined;
	const plain = (answer: AccessAnswer) => `${answer.verb} ${answer.resource}`;
	const withKeys = (answer: AccessAnswer) => `${plain(answer)} (${keysOf(answer)})`;
	// view has every read of the panel and pods/log; edit adds the patches.
	const grant = (role: 'view' | 'edit', {scope}: AccessAnswer) =>
		scope[0] === '-n'
			? `kubectl create rolebinding warroom-${role} --clusterrole=${role} --user=YOU -n ${scope[1]}`
			: `kubectl create clusterrolebinding warroom-${role} --clusterrole=${role} --user=YOU`;
	const check = (answer: AccessAnswer) =>
		`kubectl auth can-i ${answer.verb} ${answer.resource} ${answer.scope.join(' ')} --context ${context}`;
	const reads = answers.filter(answer => !isKey(answer));
	const keys = answers.filter(isKey);
	const deniedReads = reads.filter(answer => !answer.allowed);
	const deniedKeys = keys.filter(answer => !answer.allowed);
	return [
		deniedReads.length === 0
			? {check: 'cluster reads', status: 'ok', detail: `allowed: ${describeAnswers(reads, plain)}`}
			: {
					check: 'cluster reads',
					status: 'missing',
					detail: `denied: ${describeAnswers(deniedReads, plain)}: the Pods panel cannot show them`,
					fix: `a cluster admin runs ${grant('view', deniedReads[0]!)}; then ${check(deniedReads[0]!)} says yes`,
				},
		deniedKeys.length === 0
			? {check: 'cluster keys', status: 'ok', detail: `allowed: ${describeAnswers(keys, withKeys)}`}
			: {
					check: 'cluster keys',
					status: 'warn',
					detail: `denied: ${describeAnswers(deniedKeys, withKeys)}: those keys will be refused`,
					fix: `a cluster admin runs ${grant('edit', deniedKeys[0]!)}; then ${check(deniedKeys[0]!)} says yes`,
				},
	];
}

/** What a kubectl run printed; `failure` says why it failed, in the collector's words; `unrunnable` when kubectl itself could not be started. */
type Run = {stdout: string; failure?: string; unrunnable?: boolean};

/** kubectl's failure as a finding says it: the line already names kubectl. */
const withoutPrefix = (failure: string) => failure.replace(/^kubectl: /, '');

/** One kubectl run to its end, bounded in time. */
async function runKubectl(config: KubernetesConfig, args: string[], signal: AbortSignal): Promise<Run> {
	const execa = await loadExeca();
	const binary = kubectlBinary(config);
	const result = await execa(binary, args, {reject: false, stdin: 'ignore', cancelSignal: signal, timeout: runTimeoutMs});
	if (result.timedOut) return {stdout: '', failure: `kubectl: no answer within ${runTimeoutMs / 1000}s`};
	const failure = failureOf(result, binary);
	return {
		stdout: result.stdout,
		...(failure ? {failure} : {}),
		...(result.code === 'ENOENT' || result.code === 'EACCES' ? {unrunnable: true} : {}),
	};
}

/** The fix for a kubectl that cannot be run: the configured path is wrong, or there is none on PATH. */
const kubectlFix = (config: KubernetesConfig) =>
	config.kubectl
		? `set kubernetes.kubectl in warroom.yaml to kubectl's path (command -v kubectl), or install it at ${config.kubectl}`
		: 'install kubectl (https://kubernetes.io/docs/tasks/tools/), or set kubernetes.kubectl in warroom.yaml to its path';

type VersionOutput = {clientVersion?: {gitVersion?: string}; serverVersion?: {gitVersion?: string}};

/** Whether `auth can-i` says yes, no, or fails (then it says why). */
async function canI(
	config: KubernetesConfig,
	context: string,
	verb: string,
	resource: string,
	scope: string[],
	signal: AbortSignal,
) {
	const run = await runKubectl(
		config,
		['auth', 'can-i', verb, resource, ...scope, '--context', context, '--request-timeout', requestTimeout],
		signal,
	);
	// `no` (`no - REASON` when the server gives one) comes with exit code 1: an answer, not a failure.
	const answer = run.stdout.trim();
	if (/^(yes|no)\b/.test(answer)) return {verb, resource, scope, allowed: answer.startsWith('yes')};
	throw new Error(run.failure ?? `kubectl auth can-i ${verb} ${resource}: no yes or no`);
}

/** Every finding about the cluster; one, skipped, when none is configured. */
export async function kubernetesFindings(config: KubernetesConfig | undefined, signal: AbortSignal): Promise<Finding[]> {
	if (!config)
		return [
			{
				check: 'cluster',
				status: 'skipped',
				detail: 'no kubernetes section in warroom.yaml and no kubeconfig (KUBECONFIG, ~/.kube/config): the Pods panel stays off',
			},
		];
	const binary = kubectlBinary(config);
	// Side by side: some kubectl builds (gcloud's dispatcher) ask the server before every command, so each run
	// may take kubectl's own timeout when the server hangs. The context read never needs the server.
	const [identity, versions] = await Promise.all([
		readIdentity(config, signal).catch((error: unknown) => new Error(withoutPrefix(messageOf(error)))),
		runKubectl(config, ['version', '-o', 'json', ...contextArgs(config), '--request-timeout', requestTimeout], signal),
	]);
	if (versions.unrunnable)
		return [{check: 'kubectl', status: 'missing', detail: withoutPrefix(versions.failure ?? ''), fix: kubectlFix(config)}];
	// The client's version is printed whether or not the server answered.
	let printed: VersionOutput = {};
	try {
		printed = parseJson<VersionOutput>(versions.stdout, 'kubectl version');
	} catch {
		// No version to show: kubectl still ran.
	}
	const findings: Finding[] = [
		{
			check: 'kubectl',
			status: 'ok',
			detail: `${printed.clientVersion?.gitVersion ?? 'version unknown'} (${binary === 'kubectl' ? 'kubectl on PATH' : binary})`,
		},
	];
	if (identity instanceof Error)
		return [
			...findings,
			{
				check: 'cluster',
				status: 'missing',
				detail: identity.message,
				fix: 'kubectl config get-contexts lists them: kubectl config use-context NAME, or kubernetes.context in warroom.yaml',
			},
		];
	const context = identity.context ?? config.context ?? '';
	const serverVersion = printed.serverVersion?.gitVersion;
	if (versions.failure || !serverVersion)
		return [
			...findings,
			{
				check: 'cluster',
				status: 'missing',
				detail: `context ${context}: the API server does not answer: ${withoutPrefix(versions.failure ?? 'no server version')}`,
				fix: `check the network (VPN?) and the cluster: kubectl --context ${context} get --raw /version`,
			},
		];
	const cluster = identity.cluster ? ` (cluster ${identity.cluster})` : '';
	findings.push({check: 'cluster', status: 'ok', detail: `context ${context}${cluster} answers: server ${serverVersion}`});
	try {
		const asked = scopeArgs(config).flatMap(scope =>
			[...panelReads, ...keyVerbs].map(({verb, resource}) => canI(config, context, verb, resource, scope, signal)),
		);
		findings.push(...accessFindings(await Promise.all(asked), context));
	} catch (error) {
		findings.push({
			check: 'cluster reads',
			status: 'missing',
			detail: `kubectl auth can-i failed: ${withoutPrefix(messageOf(error))}`,
			fix: `kubectl auth can-i --list --context ${context}`,
		});
	}
	return findings;
}
