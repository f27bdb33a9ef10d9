/**
 * The Kubernetes source: the `kubectl` on PATH lists the pods (all
 * namespaces, or each configured one) as JSON, and the classifier decides
 * which need a look. kubectl reads KUBECONFIG and its own credentials, so
 * this never handles a token. Only flags kubectl 1.20 already had.
 */
import type {Collector} from '../collector';
import type {Config} from '../../config/types';
import type {KubernetesData} from '../types';
import {classifyPods, type KubePod, type KubePodList} from './classify';

export type KubernetesConfig = NonNullable<Config['kubernetes']>;

/** Between two lists; the watch that makes changes show at once comes later. */
const intervalMs = 5000;
/** A list of 10,000 pods takes kubectl a few seconds; an API server that hangs is given up on after this. */
const timeoutMs = 30_000;
/** A pod is some 10 kB of JSON: room for 50,000 of them. */
const maxBuffer = 500_000_000;
/** kubectl's last line of a failure says what went wrong (lines before it are client-go's log), cut to this length. */
const stderrLineLimit = 300;

/** The argument lists, one per namespace asked for (none: all of them). */
function kubectlArgs(config: KubernetesConfig): string[][] {
	const context = config.context ? ['--context', config.context] : [];
	const scopes = config.namespaces.length > 0 ? config.namespaces.map(namespace => ['-n', namespace]) : [['-A']];
	return scopes.map(scope => ['get', 'pods', ...scope, '-o', 'json', ...context]);
}

/** kubectl's complaint, in words a responder can act on. */
function kubectlFailure(stderr: string): string {
	const lines = stderr.trim().split('\n');
	const last = (lines.at(-1) ?? '').slice(0, stderrLineLimit);
	if (/\bUnauthorized\b|You must be logged in/.test(stderr))
		return `kubectl: 401 Unauthorized: the cluster refused the kubeconfig's credentials (${last})`;
	const refused = /connection to the server (\S+) was refused/.exec(stderr);
	if (refused) return `kubectl: connection refused by ${refused[1]}: is the API server up, and the kubeconfig's server right?`;
	return `kubectl: ${last || 'failed with no message'}`;
}

/** One `kubectl get pods … -o json`, its items. */
async function listPods(args: string[], signal: AbortSignal): Promise<KubePod[]> {
	// Loaded on the first list, not at start: execa is a fifth of the main bundle.
	const {execa} = await import('execa');
	const result = await execa('kubectl', args, {reject: false, stdin: 'ignore', cancelSignal: signal, maxBuffer});
	if (result.isCanceled) throw signal.reason;
	if ('code' in result && result.code === 'ENOENT') throw new Error('kubectl: not found on PATH');
	if (result.failed)
		throw new Error(result.exitCode === undefined ? `kubectl: ${result.shortMessage}` : kubectlFailure(result.stderr));
	return (JSON.parse(result.stdout) as KubePodList).items ?? [];
}

/** Lists the pods on every reading; kubectl's failures become the reading's error, the token never in it. */
export function kubernetesCollector(config: KubernetesConfig): Collector<KubernetesData> {
	return {
		source: 'kubernetes',
		intervalMs,
		timeoutMs,
		async collect(signal) {
			const lists = await Promise.all(kubectlArgs(config).map(args => listPods(args, signal)));
			return classifyPods({items: lists.flat()}, Date.now(), config.context);
		},
	};
}
