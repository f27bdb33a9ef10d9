/**
 * (c) The Pods panel on a 10,000-pod cluster: the fast-layer API serves the
 * pods to the real kubectl, the built console reads them through its
 * collector and draws them in a pseudo-terminal, 1% of the pods changing a
 * minute, its Deployments, ReplicaSets, Warning events and metrics read
 * beside them every 30 s. Measured in one run: `kubectl get pods -A -o
 * json` alone, the time to the first full Pods panel, and the console's CPU
 * and memory while the cluster churns, watched and then polled.
 */
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {classifyPods} from '../source/sources/kubernetes/classify';
import {startKubeApi, type KubeApi} from '../test/helpers/kube-api';
import {churn, makeCluster, makeDetails} from './cluster';
import {consoleEnv, interleave, sleep, startConsole, tempDir, timeProcess} from './harness';
import {childrenPeakMb, cpuSeconds, memoryOf, noCpu, reapedCpuSeconds, sampleCpu} from './proc';

const cols = 120;
const rows = 40;
/** A console on 10,000 pods is given this long to show them (kubectl alone takes 15 s on a busy 2-core machine). */
const shownTimeoutMs = 120_000;
const context = 'bench-cluster';

export type Relist = {seconds: number; consoleCpuSeconds: number; kubectlCpuSeconds: number};

export type SteadyState = {
	watch: boolean;
	seconds: number;
	/** CPU seconds a minute as % of one core: the console's own, and its kubectl's. */
	consolePercent: number;
	kubectlPercent: number;
	rssMb: number;
	peakMb: number;
	/** The kubectl watch's peak resident memory (none when polling: each list exits). */
	kubectlPeakMb: number;
	changes: number;
	/** Sampled seconds in which the screen showed a pod the churn had broken: the changes reach the screen. */
	secondsShowingChange: number;
	samples: number;
	/** Watched: what one relist costs, paid again at every resync. */
	relist?: Relist;
};

export type KubernetesResult = {
	pods: number;
	healthy: number;
	unhealthy: number;
	listMb: number;
	/** Read every 30 s beside the pods: how many of each, and their JSON as kubectl prints it. */
	details: {deployments: number; replicaSets: number; warnings: number; metrics: number; mb: number};
	kubectl: number[];
	firstPanel: number[];
	/** CPU seconds of each run: kubectl alone, and the console with its kubectl up to the first panel. */
	cpu: CpuSeconds;
	watched: SteadyState;
	polled: SteadyState;
};

/** The Pods panel's title with the healthy count in it: every pod has been read, classified and drawn. */
const countShown = (healthy: number) => (screen: string[]) =>
	screen.some(line => line.includes(' Pods ') && new RegExp(`\\b${healthy} ok\\b`).test(line));

/** A working directory whose warroom.yaml reads the fast layer's cluster, watched or polled. */
function clusterDir(watch: boolean): string {
	const dir = tempDir();
	writeFileSync(join(dir, 'warroom.yaml'), `kubernetes:\n  context: ${context}\n  watch: ${watch}\n`);
	return dir;
}

/** Resolves once `check` holds, looking every 100 ms, or rejects after `timeoutMs`. */
async function until(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
		await sleep(100);
	}
}

const watchesOpened = (api: KubeApi) => api.requests.filter(request => request.includes('watch=true')).length;

/** Resolves after the first whole second in which `pid` used less than 30% of a core. */
async function quiet(pid: number): Promise<void> {
	let before = sampleCpu(pid);
	for (;;) {
		await sleep(1000);
		const after = sampleCpu(pid);
		if (cpuSeconds(before, after).own < 0.3) return;
		before = after;
	}
}

/**
 * One relist of a watched console, as its resync does every 5 minutes (and
 * `r` now): the list, then a new watch, which kubectl starts with a list of
 * its own. From `r` until the new watch is open and the console quiet.
 */
async function measureRelist(running: ReturnType<typeof startConsole>, api: KubeApi, pid: number): Promise<Relist> {
	const opened = watchesOpened(api);
	const before = sampleCpu(pid);
	const started = performance.now();
	running.pty.write('r');
	await until('the watch reopened', () => watchesOpened(api) > opened, shownTimeoutMs);
	await quiet(pid);
	const cpu = cpuSeconds(before, sampleCpu(pid));
	return {seconds: (performance.now() - started) / 1000, consoleCpuSeconds: cpu.own, kubectlCpuSeconds: cpu.children};
}

/** CPU seconds, alongside the wall-clock times: on a busy machine they tell what the work itself costs. */
type CpuSeconds = {kubectl: number[]; console: number[]};

/** `kubectl get pods -A -o json` alone, in ms; its CPU seconds go to `cpu`. */
async function timeKubectl(env: Record<string, string>, cpu: number[]): Promise<number> {
	const before = reapedCpuSeconds();
	const ms = await timeProcess('kubectl', ['get', 'pods', '-A', '-o', 'json', '--context', context], env);
	cpu.push(reapedCpuSeconds() - before);
	return ms;
}

/** The console on the cluster, from spawn to the full Pods panel, in ms; its CPU seconds and its kubectl's go to `cpu`. */
async function timeFirstPanel(env: Record<string, string>, healthy: number, cpu: number[]): Promise<number> {
	const started = performance.now();
	const running = startConsole({
		cols,
		rows,
		args: ['--data-dir', tempDir()],
		cwd: clusterDir(true),
		env,
		shows: countShown(healthy),
		timeoutMs: shownTimeoutMs,
	});
	try {
		const shown = await running.shown;
		const used = cpuSeconds(noCpu, sampleCpu(running.pty.pid));
		cpu.push(used.own + used.children);
		return shown - started;
	} finally {
		await running.stop();
	}
}

/**
 * The console's CPU and memory over `seconds` while the cluster churns at
 * `changesPerMinute`, once its first panel is up (and, watched, once its
 * watch is open and the watch's own first list is read).
 */
async function measureSteadyState(options: {
	api: KubeApi;
	env: Record<string, string>;
	cluster: ReturnType<typeof makeCluster>;
	healthy: number;
	watch: boolean;
	seconds: number;
	log: (line: string) => void;
}): Promise<SteadyState> {
	const {api, healthy, watch, log} = options;
	const running = startConsole({
		cols,
		rows,
		args: ['--data-dir', tempDir()],
		cwd: clusterDir(watch),
		env: options.env,
		shows: countShown(healthy),
		timeoutMs: shownTimeoutMs,
	});
	const next = churn(options.cluster);
	let changes = 0;
	let churning: NodeJS.Timeout | undefined;
	try {
		await running.shown;
		const pid = running.pty.pid;
		// 1% of the pods a minute, one at a time, evenly spread.
		churning = setInterval(
			() => {
				api.emit('MODIFIED', next());
				changes += 1;
			},
			60_000 / (options.cluster.length / 100),
		);
		if (watch) {
			await until('the watch opened', () => watchesOpened(api) > 0, shownTimeoutMs);
			// kubectl's watch lists every pod again first: wait for the console to be done reading them.
			await quiet(pid);
		}
		log(`  ${watch ? 'watch' : 'polling'}: counting ${options.seconds} s from ${new Date().toISOString()}`);
		changes = 0;
		const before = sampleCpu(pid);
		const started = performance.now();
		const changed = countShown(healthy - 1);
		let samples = 0;
		let secondsShowingChange = 0;
		while (performance.now() - started < options.seconds * 1000) {
			await sleep(1000);
			samples += 1;
			if (changed(await running.screenRows())) secondsShowingChange += 1;
		}
		const after = sampleCpu(pid);
		const elapsed = (performance.now() - started) / 1000;
		const cpu = cpuSeconds(before, after);
		const memory = memoryOf(pid);
		const kubectlPeakMb = watch ? childrenPeakMb(pid) : 0;
		return {
			watch,
			seconds: elapsed,
			consolePercent: (cpu.own / elapsed) * 100,
			kubectlPercent: (cpu.children / elapsed) * 100,
			rssMb: memory.rssMb,
			peakMb: memory.peakMb,
			kubectlPeakMb,
			changes,
			secondsShowingChange,
			samples,
			...(watch ? {relist: await measureRelist(running, api, pid)} : {}),
		};
	} finally {
		clearInterval(churning);
		await running.stop();
	}
}

export async function measureKubernetes(options: {
	pods: number;
	runs: number;
	seconds: number;
	log?: (line: string) => void;
}): Promise<KubernetesResult> {
	const log = options.log ?? (() => {});
	const cluster = makeCluster({pods: options.pods, now: Date.now()});
	const details = makeDetails(cluster, Date.now());
	const {healthyCount: healthy, pods: unhealthy} = classifyPods({items: cluster}, Date.now());
	const api = await startKubeApi(cluster);
	api.set('deployments', details.deployments);
	api.set('replicasets', details.replicaSets);
	api.set('events', details.events);
	api.setMetrics(details.metrics);
	try {
		const kubeconfig = api.kubeconfig({context});
		const env = consoleEnv(api.env(kubeconfig));
		const cpu: CpuSeconds = {kubectl: [], console: []};
		// The first kubectl fills its discovery cache, as any responder's has been.
		await timeKubectl(env, []);
		const times = await interleave(
			[
				{name: 'kubectl', run: () => timeKubectl(env, cpu.kubectl)},
				{name: 'console', run: () => timeFirstPanel(env, healthy, cpu.console)},
			],
			options.runs,
			0,
		);
		log(
			`  kubectl: ${times
				.get('kubectl')!
				.map(ms => ms.toFixed(0))
				.join(' ')} ms`,
		);
		log(
			`  first panel: ${times
				.get('console')!
				.map(ms => ms.toFixed(0))
				.join(' ')} ms`,
		);
		const steady = (watch: boolean) => measureSteadyState({api, env, cluster, healthy, watch, seconds: options.seconds, log});
		const watched = await steady(true);
		api.setPods(cluster);
		const polled = await steady(false);
		return {
			pods: cluster.length,
			healthy,
			unhealthy: unhealthy.length,
			listMb: Buffer.byteLength(JSON.stringify({items: cluster}, null, 4)) / 1e6,
			details: {
				deployments: details.deployments.length,
				replicaSets: details.replicaSets.length,
				warnings: details.events.length,
				metrics: details.metrics.length,
				mb: Buffer.byteLength(JSON.stringify(details, null, 4)) / 1e6,
			},
			kubectl: times.get('kubectl')!,
			firstPanel: times.get('console')!,
			cpu,
			watched,
			polled,
		};
	} finally {
		await api.close();
	}
}
