/**
 * What a process costs, read from Linux's /proc: CPU time (its own, and its
 * children's apart: the kubectl it runs) and memory (resident now, and the
 * peak).
 */
import {execFileSync} from 'node:child_process';
import {readdirSync, readFileSync} from 'node:fs';

/** Clock ticks per second, the unit of /proc/PID/stat's times. */
const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).trim());

type Stat = {ppid: number; ownTicks: number; reapedChildTicks: number};

/** /proc/PID/stat: fields 14-17 are utime, stime and the waited-for children's cutime, cstime. */
function stat(pid: number): Stat | undefined {
	let text: string;
	try {
		text = readFileSync(`/proc/${pid}/stat`, 'utf8');
	} catch {
		return undefined; // gone
	}
	// The command name (field 2) may hold spaces and parentheses: count fields after its closing one.
	const fields = text
		.slice(text.lastIndexOf(')') + 2)
		.split(' ')
		.map(Number);
	const field = (number: number) => fields[number - 3]!;
	return {ppid: field(4), ownTicks: field(14) + field(15), reapedChildTicks: field(16) + field(17)};
}

/** The processes `pid` started that still run (none of a shell: execa runs kubectl directly). */
function childrenOf(pid: number): Map<number, number> {
	const children = new Map<number, number>();
	for (const name of readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		const child = stat(Number(name));
		if (child?.ppid === pid) children.set(Number(name), child.ownTicks + child.reapedChildTicks);
	}
	return children;
}

export type CpuSample = {own: number; reaped: number; live: Map<number, number>};

/** Before a process started. */
export const noCpu: CpuSample = {own: 0, reaped: 0, live: new Map()};

/** CPU seconds of the children this process has waited for: those of a command it ran, once it exits. */
export const reapedCpuSeconds = () => stat(process.pid)!.reapedChildTicks / ticksPerSecond;

/** The CPU `pid` and its children have used so far, in ticks. */
export function sampleCpu(pid: number): CpuSample {
	const own = stat(pid);
	if (!own) throw new Error(`process ${pid} is gone`);
	return {own: own.ownTicks, reaped: own.reapedChildTicks, live: childrenOf(pid)};
}

/**
 * Seconds of CPU between two samples: the process's own, and its children's
 * (those reaped in between, plus those still running, less what any of them
 * had used before the first sample).
 */
export function cpuSeconds(before: CpuSample, after: CpuSample): {own: number; children: number} {
	const sum = (live: Map<number, number>) => [...live.values()].reduce((total, ticks) => total + ticks, 0);
	const children = after.reaped - before.reaped + sum(after.live) - sum(before.live);
	return {own: (after.own - before.own) / ticksPerSecond, children: children / ticksPerSecond};
}

/** Resident memory of `pid` now and at its peak (VmRSS, VmHWM), in MB. */
export function memoryOf(pid: number): {rssMb: number; peakMb: number} {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
	return {rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024};
}

/** The peak resident memory of the children `pid` runs now, in MB (the kubectl watch). */
export const childrenPeakMb = (pid: number) => Math.max(0, ...[...childrenOf(pid).keys()].map(child => memoryOf(child).peakMb));
