/**
 * Which cluster is read: the context the config names, else kubectl's
 * current one, and the cluster it points at, from `kubectl config view
 * --minify -o json` (kubectl 1.20 has it). A kubeconfig without a current
 * context fails here, in words, before any list would try localhost:8080.
 */
import {contextArgs, parseJson, runKubectl, type KubernetesConfig} from './kubectl';

/** The parts of `kubectl config view --minify -o json` read here: the one context, and its cluster. */
export type KubeconfigView = {
	'current-context'?: string;
	contexts?: Array<{name?: string; context?: {cluster?: string}}>;
};

export type ClusterIdentity = {context?: string; cluster?: string};

/** The context and cluster a minified kubeconfig names. */
export function identityOf(view: KubeconfigView): ClusterIdentity {
	const context = view['current-context'] || view.contexts?.[0]?.name;
	const cluster = view.contexts?.find(entry => entry.name === context)?.context?.cluster;
	return {...(context ? {context} : {}), ...(cluster ? {cluster} : {})};
}

/** The context and cluster kubectl reads with this config. */
export async function readIdentity(config: KubernetesConfig, signal: AbortSignal): Promise<ClusterIdentity> {
	const output = await runKubectl(config, ['config', 'view', '--minify', '-o', 'json', ...contextArgs(config)], signal);
	return identityOf(parseJson<KubeconfigView>(output, 'the kubeconfig'));
}
