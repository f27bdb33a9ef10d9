/**
 * (c) The built console running 200 health checks at a 5 s interval
 * against servers on 127.0.0.1 (110 HTTP, 30 TLS with a certificate openssl
 * makes, 40 TCP, 20 commands): its CPU share (from /proc, the console's own
 * process, not the checks' children) and its event-loop delay (read inside
 * it by bench/loop-probe.mjs), over a window that starts once every check
 * has run a few times.
 */
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {createServer as createHttpServer} from 'node:http';
import {createServer as createHttpsServer} from 'node:https';
import {createServer as createTcpServer, type AddressInfo, type Server} from 'node:net';
import {join, resolve} from 'node:path';
import {TestCertificates} from '../test/helpers/certificates';
import {consoleEnv, sleep, startConsole, tempDir} from './harness';

export type HealthBench = {
	checks: number;
	seconds: number;
	/** The console's CPU time over the window, as a share of one core. */
	cpuShare: number;
	loopDelayMs: {p50: number; p99: number; max: number; mean: number};
	/** Checks the console showed failing at the end: 0 unless the machine could not keep up. */
	failing: number;
};

const mix = {http: 110, tls: 30, tcp: 40, command: 20};
const intervalSeconds = 5;

const listen = (server: Server) =>
	new Promise<number>(done => server.listen(0, '127.0.0.1', () => done((server.address() as AddressInfo).port)));

/** utime + stime of a process, in seconds (clock ticks of 100 Hz, Linux's USER_HZ). */
function cpuSeconds(pid: number): number {
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
	return (Number(fields[11]) + Number(fields[12])) / 100;
}

function configText(ports: {http: number; https: number; tcp: number}, caFile: string): string {
	const every = `interval: ${intervalSeconds}s, timeout: 3s`;
	const lines = [
		...Array.from(
			{length: mix.http},
			(_, n) => `  - {name: http-${n}, http: 'http://127.0.0.1:${ports.http}/health/${n}', ${every}}`,
		),
		...Array.from(
			{length: mix.tls},
			(_, n) => `  - {name: tls-${n}, tls: 'localhost:${ports.https}', ca: '${caFile}', ${every}}`,
		),
		...Array.from({length: mix.tcp}, (_, n) => `  - {name: tcp-${n}, tcp: '127.0.0.1:${ports.tcp}', ${every}}`),
		...Array.from({length: mix.command}, (_, n) => `  - {name: command-${n}, command: ['true'], ${every}}`),
	];
	return `health:\n${lines.join('\n')}\n`;
}

export async function measureHealth(options: {seconds: number; warmUpSeconds?: number}): Promise<HealthBench> {
	const certificates = new TestCertificates();
	const day = 86_400_000;
	const pair = certificates.signed({names: ['localhost'], notBefore: Date.now() - day, notAfter: Date.now() + 90 * day});
	const http = createHttpServer((_, response) => response.end('{"status":"ok"}'));
	const https = createHttpsServer(pair, (_, response) => response.end('ok'));
	const tcp = createTcpServer(socket => socket.end());
	const servers = [http, https, tcp];
	const dir = tempDir();
	const config = join(dir, 'warroom.yaml');
	const probeFile = join(dir, 'loop.json');
	writeFileSync(
		config,
		configText({http: await listen(http), https: await listen(https), tcp: await listen(tcp)}, certificates.caFile),
	);
	const probe = resolve(import.meta.dirname, 'loop-probe.mjs');
	const running = startConsole({
		cols: 160,
		rows: 48,
		args: ['--config', config, '--data-dir', dir],
		env: consoleEnv({NODE_OPTIONS: `--import=${probe}`, WARROOM_LOOP_PROBE: probeFile}),
	});
	try {
		await running.shown;
		await sleep((options.warmUpSeconds ?? 3 * intervalSeconds) * 1000);
		const pid = running.pty.pid;
		process.kill(pid, 'SIGUSR2');
		const cpuBefore = cpuSeconds(pid);
		const started = performance.now();
		await sleep(options.seconds * 1000);
		const cpuAfter = cpuSeconds(pid);
		const seconds = (performance.now() - started) / 1000;
		process.kill(pid, 'SIGUSR2');
		// Written by the console on the signal: wait for it rather than for a guessed time.
		for (let waited = 0; !existsSync(probeFile) && waited < 50; waited++) await sleep(100);
		const screen = (await running.screenRows()).join('\n');
		const failing = Number(/Health (\d+) FAIL/.exec(screen)?.[1] ?? 0);
		return {
			checks: Object.values(mix).reduce((sum, count) => sum + count, 0),
			seconds,
			cpuShare: (cpuAfter - cpuBefore) / seconds,
			loopDelayMs: JSON.parse(readFileSync(probeFile, 'utf8')) as HealthBench['loopDelayMs'],
			failing,
		};
	} finally {
		await running.stop();
		for (const server of servers) server.close();
		certificates.remove();
	}
}
