/**
 * Running kubectl for the collector: the binary the config names (else the
 * one on PATH) with an argument array, never a shell, and its failures in
 * words a responder can act on. kubectl reads KUBECONFIG and its own
 * credentials, so this never handles a token. Only flags kubectl 1.20
 * already had.
 */
import type {Config} from '../../config/types';
import {toSingleLine} from '../../text/sanitize';

export type KubernetesConfig = NonNullable<Config['kubernetes']>;

/** A pod is some 10 kB of JSON: room for 50,000 of them. */
export const maxBuffer = 500_000_000;
/** kubectl's last line of a failure (lines before it are client-go's log), or a watch's error, is cut to this length. */
export const stderrLineLimit = 300;

/** The kubectl to run: `kubernetes.kubectl` from the config, else the one on PATH. */
export const kubectlBinary = (config: Pick<KubernetesConfig, 'kubectl'>) => config.kubectl ?? 'kubectl';

/** `--context NAME` when the config names one: otherwise kubectl's current context. */
export const contextArgs = (config: Pick<KubernetesConfig, 'context'>) => (config.context ? ['--context', config.context] : []);

/** `-n NAMESPACE` for each namespace the config lists, else `-A`: one kubectl run per scope. */
export const scopeArgs = (config: Pick<KubernetesConfig, 'namespaces'>) =>
	config.namespaces.length > 0 ? config.namespaces.map(namespace => ['-n', namespace]) : [['-A']];

/** `User "x" cannot list resource "pods" in API group "" at the cluster scope`, as the API server's RBAC says it. */
const forbiddenPattern =
	/User "([^"]*)" cannot (\w+) resource "([^"]+)" in API group "([^"]*)" (?:in the namespace "([^"]+)"|at the cluster scope)/;

/** kubectl's complaint, in words a responder can act on. */
export function kubectlFailure(stderr: string): string {
	const lines = stderr.trim().split('\n');
	const last = (lines.at(-1) ?? '').slice(0, stderrLineLimit);
	if (/\bUnauthorized\b|You must be logged in/.test(stderr))
		return `kubectl: 401 Unauthorized: the cluster refused the kubeconfig's credentials (${last})`;
	const forbidden = forbiddenPattern.exec(stderr);
	if (forbidden) {
		const [, user, verb, resource, group, namespace] = forbidden;
		const where = namespace ? `in namespace ${namespace}` : 'in all namespaces';
		return `kubectl: 403 Forbidden: ${user} may not ${verb} ${resource}${group ? `.${group}` : ''} ${where}`;
	}
	if (/current-context must exist|localhost:8080 was refused/.test(stderr))
		return 'kubectl: no context: the kubeconfig has no current-context (kubectl config use-context NAME, or kubernetes.context in warroom.yaml)';
	const missingContext = /context "([^"]*)" does not exist|cannot locate context (\S+)/.exec(stderr);
	if (missingContext) return `kubectl: context "${missingContext[1] ?? missingContext[2]}" not found in the kubeconfig`;
	const notJson = /serializer for (\S+) doesn't exist/.exec(stderr);
	if (notJson) return `kubectl: the API answered in ${notJson[1]}, not JSON: is a proxy in the way?`;
	const refused = /connection to the server (\S+) was refused/.exec(stderr);
	if (refused) return `kubectl: connection refused by ${refused[1]}: is the API server up, and the kubeconfig's server right?`;
	return `kubectl: ${last || 'failed with no message'}`;
}

export type KubectlResult = {failed: boolean; exitCode?: number; shortMessage?: string; stderr: string; code?: unknown};

/** Why a kubectl run failed, or nothing when it did not. */
export function failureOf(result: KubectlResult, binary: string): string | undefined {
	if (result.code === 'ENOENT')
		return binary.includes('/')
			? `kubectl: ${binary} not found (kubernetes.kubectl in warroom.yaml)`
			: 'kubectl: not found on PATH';
	if (!result.failed) return undefined;
	return result.exitCode === undefined ? `kubectl: ${result.shortMessage}` : kubectlFailure(result.stderr);
}

// Loaded on the first run, not at start: execa is a fifth of the main bundle.
export const loadExeca = async () => (await import('execa')).execa;

/** One kubectl run to its end: its output, or an error saying why it failed. */
export async function runKubectl(config: KubernetesConfig, args: string[], signal: AbortSignal): Promise<string> {
	const execa = await loadExeca();
	const binary = kubectlBinary(config);
	const result = await execa(binary, args, {reject: false, stdin: 'ignore', cancelSignal: signal, maxBuffer});
	if (result.isCanceled) throw signal.reason;
	const failure = failureOf(result, binary);
	if (failure) throw new Error(failure);
	return result.stdout;
}

/** kubectl's JSON output, or an error saying it was not JSON (a proxy's HTML page, a truncated answer). */
export function parseJson<T>(output: string, what: string): T {
	try {
		return JSON.parse(output) as T;
	} catch {
		throw new Error(`kubectl: ${what} is not JSON (it starts "${toSingleLine(output.slice(0, 60))}")`);
	}
}

/** One `kubectl get …` per scope (each configured namespace, else all), its items together. */
export async function getItems<T>(config: KubernetesConfig, what: string, args: string[], signal: AbortSignal): Promise<T[]> {
	const lists = await Promise.all(
		scopeArgs(config).map(async scope => {
			const output = await runKubectl(config, ['get', ...args, ...scope, '-o', 'json', ...contextArgs(config)], signal);
			return parseJson<{items?: T[]}>(output, what).items ?? [];
		}),
	);
	return lists.flat();
}

/**
 * Each item of a list on a line of its own, compact, as jsonpath prints an
 * object: the list is parsed item by item as it arrives, never held whole as
 * text. With `-o json` kubectl prints 10,000 pods as 114 MB of indented
 * JSON, and that text with its parse took the console past 600 MB.
 */
const itemPerLine = ['-o', 'jsonpath={range .items[*]}{@}{"\\n"}{end}'];

/** One `kubectl get …` per scope, read an item a line, each item cut down by `keep` as it arrives. */
export async function streamItems<Served, Kept>(
	config: KubernetesConfig,
	what: string,
	args: string[],
	keep: (item: Served) => Kept,
	signal: AbortSignal,
): Promise<Kept[]> {
	const execa = await loadExeca();
	const binary = kubectlBinary(config);
	const lists = await Promise.all(
		scopeArgs(config).map(async scope => {
			const child = execa(binary, ['get', ...args, ...scope, ...itemPerLine, ...contextArgs(config)], {
				reject: false,
				stdin: 'ignore',
				cancelSignal: signal,
				buffer: {stdout: false},
			});
			const items: Kept[] = [];
			let garbled: unknown;
			try {
				for await (const line of child) items.push(keep(parseJson<Served>(line, what)));
			} catch (error) {
				garbled = error;
				child.kill();
			}
			const result = await child;
			if (result.isCanceled) throw signal.reason;
			const failure = failureOf(result, binary);
			if (failure) throw new Error(failure);
			if (garbled) throw garbled;
			return items;
		}),
	);
	return lists.flat();
}
