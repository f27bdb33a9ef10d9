/**
 * (d) One redraw of the whole screen on a 10,000-pod cluster, in this
 * process: the app rendered by Ink (ink-testing-library: every frame drawn
 * at once, unthrottled) from a store holding the classified pods, one pod
 * changing per update as the watch delivers it. Timed apart: the collector's
 * work on that change (the pods classified into a reading), and the redraw
 * (the reading into the store, React, layout, the frame's text).
 */
import {join} from 'node:path';
import {render} from 'ink-testing-library';
import {App} from '../source/app';
import type {Controls} from '../source/actions/route-key';
import {loadPolicy} from '../source/incident/policy-file';
import {builtInRunbooksDir} from '../source/paths';
import {goodReading} from '../source/sources/collector';
import {classifyPods, type HealthyPods, type KubePod} from '../source/sources/kubernetes/classify';
import {createWarroomStore, initialState, update} from '../source/store';
import {churn, makeCluster} from './cluster';

export type Spread = {p50: number; p95: number; max: number};
export type FrameResult = {
	updates: number;
	classify: Spread;
	frame: Spread;
	/** The process's CPU time (user + system) per redraw: what the redraw costs, however busy the machine. */
	frameCpu: Spread;
	frameLines: number;
};

const spread = (values: number[]): Spread => {
	const sorted = [...values].sort((a, b) => a - b);
	const at = (share: number) => sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))]!;
	return {p50: at(0.5), p95: at(0.95), max: sorted.at(-1)!};
};

const nothing = () => {};
const controls: Controls = {
	actions: {request: nothing, run: async () => {}, abortAll: nothing},
	quit: nothing,
	suspend: nothing,
	produce: nothing,
};

export async function measureFrames(options: {pods: number; updates: number; warmUps?: number}): Promise<FrameResult> {
	const now = Date.now();
	const cluster = makeCluster({pods: options.pods, now});
	const store = createWarroomStore(
		initialState({
			now,
			policy: loadPolicy(join(builtInRunbooksDir, 'severity.yaml')),
			// ink-testing-library's terminal is 100 columns wide.
			size: {columns: 100, rows: 40},
			mode: {colour: true, readOnly: false, dryRun: false, kubernetes: {production: 'prod', kubectl: 'kubectl'}},
		}),
	);
	const view = render(<App store={store} controls={controls} />);
	let frameWritten = () => {};
	const write = view.stdout.write;
	view.stdout.write = (frame: string) => {
		write(frame);
		frameWritten();
	};
	/** Resolves with performance.now() when the next frame is written. */
	const nextFrame = () =>
		new Promise<{at: number; cpu: NodeJS.CpuUsage}>(
			resolve => (frameWritten = () => resolve({at: performance.now(), cpu: process.cpuUsage()})),
		);
	const byUid = new Map<string, KubePod>(cluster.map(pod => [pod.metadata!.uid!, pod]));
	const next = churn(cluster);
	// As the collector's watch keeps them: a pod that did not change is not classified again.
	const healthyPods: HealthyPods = new WeakMap();
	const classifyTimes: number[] = [];
	const frameTimes: number[] = [];
	const frameCpuTimes: number[] = [];
	const warmUps = options.warmUps ?? 20;
	try {
		for (let round = -warmUps; round < options.updates; round++) {
			const changed = next();
			byUid.set(changed.metadata!.uid!, changed);
			const started = performance.now();
			const data = {context: 'bench-cluster', ...classifyPods({items: [...byUid.values()]}, now, healthyPods)};
			const classified = performance.now();
			const cpuBefore = process.cpuUsage();
			const written = nextFrame();
			update.reading(store, 'kubernetes', goodReading(data, now, 0));
			// React renders a store change in a microtask, and Ink (unthrottled here) writes the frame as it commits.
			const drawn = await written;
			if (round < 0) continue;
			classifyTimes.push(classified - started);
			frameTimes.push(drawn.at - classified);
			frameCpuTimes.push((drawn.cpu.user - cpuBefore.user + drawn.cpu.system - cpuBefore.system) / 1000);
		}
		const lastFrame = view.lastFrame() ?? '';
		if (!lastFrame.includes(` ${data(store).healthyCount} ok`))
			throw new Error(`the Pods panel is not on the frame:\n${lastFrame}`);
		return {
			updates: options.updates,
			classify: spread(classifyTimes),
			frame: spread(frameTimes),
			frameCpu: spread(frameCpuTimes),
			frameLines: lastFrame.split('\n').length,
		};
	} finally {
		view.unmount();
	}
}

const data = (store: ReturnType<typeof createWarroomStore>) => store.getState().readings.kubernetes.data!;
