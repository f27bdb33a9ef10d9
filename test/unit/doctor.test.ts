/**
 * `warroom doctor`'s decisions: the report's lines and exit code, the
 * terminal's verdicts, how `auth can-i`'s answers and a role's grants become
 * findings, and the health checks' probe (real files, a real resolver).
 */
import {chmodSync, writeFileSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import type {HealthCheck} from '../../source/config/types';
import {buildDoctorReport, doctorExitCode, doctorText, type Finding} from '../../source/doctor/finding';
import {healthFindings, probeCheck} from '../../source/doctor/health-probe';
import {accessFindings, keyVerbs, panelReads, type AccessAnswer} from '../../source/doctor/kubernetes';
import {privilegeFindings} from '../../source/doctor/postgres';
import {terminalFinding} from '../../source/doctor/terminal';

const now = Date.parse('2026-11-27T03:00:00Z');

describe('the report', () => {
	const findings: Finding[] = [
		{check: 'config', status: 'ok', detail: 'warroom.yaml parses', fix: 'never shown for an ok line'},
		{check: 'database', status: 'skipped', detail: 'no postgres section'},
		{check: 'data dir', status: 'missing', detail: '/srv/incidents is not a directory', fix: 'remove it'},
		{check: 'terminal', status: 'warn', detail: 'not a terminal', fix: 'run it in one'},
	];

	it('prints one line a finding with its status word, the fix under it when not ok, then the counts', () => {
		expect(doctorText(buildDoctorReport(findings, now))).toBe(
			[
				'ok       config: warroom.yaml parses',
				'skipped  database: no postgres section',
				'MISSING  data dir: /srv/incidents is not a directory',
				'         fix: remove it',
				'WARN     terminal: not a terminal',
				'         fix: run it in one',
				'',
				'doctor: 1 missing, 1 warning',
			].join('\n'),
		);
	});

	it('exits 1 when anything is missing, 0 on warnings alone', () => {
		expect(doctorExitCode(buildDoctorReport(findings, now))).toBe(1);
		const warningsOnly = buildDoctorReport(
			findings.filter(finding => finding.status !== 'missing'),
			now,
		);
		expect(doctorExitCode(warningsOnly)).toBe(0);
		expect(doctorText(warningsOnly)).toMatch(/\ndoctor: 0 missing, 1 warning$/);
		expect(doctorText(buildDoctorReport(findings.slice(0, 2), now))).toMatch(/\ndoctor: everything the console needs is here$/);
	});

	it('as JSON: when, the counts, and each finding with its status and fix', () => {
		expect(buildDoctorReport(findings, now)).toEqual({
			checkedAt: '2026-11-27T03:00:00.000Z',
			missing: 1,
			warnings: 1,
			findings: [
				{check: 'config', status: 'ok', detail: 'warroom.yaml parses'},
				{check: 'database', status: 'skipped', detail: 'no postgres section'},
				{check: 'data dir', status: 'missing', detail: '/srv/incidents is not a directory', fix: 'remove it'},
				{check: 'terminal', status: 'warn', detail: 'not a terminal', fix: 'run it in one'},
			],
		});
	});

	it('cleans outside text to one line and cuts a 100 KB value', () => {
		const report = buildDoctorReport(
			[
				{
					check: 'health check \u001b]0;owned\u0007api\u202e',
					status: 'missing',
					detail: `kubectl: \u001b[2Jboom\nsecond line ${'x'.repeat(100_000)}`,
					fix: 'a\u200bb',
				},
			],
			now,
		);
		const [line, fix] = doctorText(report).split('\n');
		expect(line).toMatch(/^MISSING {2}health check api: kubectl: boom second line x+… \(100026 characters\)$/);
		expect(line!.length).toBeLessThan(500);
		expect(fix).toBe('         fix: ab');
	});
});

describe('the terminal', () => {
	const tty = {stdinIsTty: true, stdoutIsTty: true, columns: 80, rows: 24, term: 'xterm-256color'};

	it.each([
		[tty, 'ok', '80×24, TERM=xterm-256color'],
		[{...tty, columns: 79}, 'missing', '79×24: the console needs at least 80×24'],
		[{...tty, rows: 23}, 'missing', '80×23: the console needs at least 80×24'],
		[{...tty, term: undefined}, 'warn', '80×24, but TERM is not set: colours and keys may come out wrong'],
		[{...tty, term: 'dumb'}, 'warn', '80×24, TERM=dumb: no colour (every state is still a word)'],
		[
			{stdinIsTty: true, stdoutIsTty: false},
			'warn',
			'not a terminal: the console needs one (standard output is a pipe or a file)',
		],
		[{...tty, stdinIsTty: false}, 'warn', 'not a terminal: the console needs one (standard input is a pipe or a file)'],
	])('%j is %s', (facts, status, detail) => {
		expect(terminalFinding(facts)).toMatchObject({check: 'terminal', status, detail});
	});
});

describe('the cluster’s answers to auth can-i', () => {
	const all = ['-A'];
	const answers = (denied: (verb: string, resource: string, scope: string[]) => boolean, scopes = [all]): AccessAnswer[] =>
		scopes.flatMap(scope =>
			[...panelReads, ...keyVerbs].map(({verb, resource}) => ({verb, resource, scope, allowed: !denied(verb, resource, scope)})),
		);

	it('everything allowed: two ok lines naming what was asked', () => {
		expect(
			accessFindings(
				answers(() => false),
				'prod-eu',
			),
		).toEqual([
			{
				check: 'cluster reads',
				status: 'ok',
				detail: 'allowed: list pods, watch pods, list deployments, list replicasets, list events in all namespaces',
			},
			{
				check: 'cluster keys',
				status: 'ok',
				detail: 'allowed: get pods/log (l), patch deployments (u R), patch deployments/scale (s) in all namespaces',
			},
		]);
	});

	it('a viewer: the keys that patch are a warning, naming the verbs and the keys', () => {
		const [reads, keys] = accessFindings(
			answers(verb => verb === 'patch'),
			'prod-eu',
		);
		expect(reads?.status).toBe('ok');
		expect(keys).toEqual({
			check: 'cluster keys',
			status: 'warn',
			detail: 'denied: patch deployments (u R), patch deployments/scale (s) in all namespaces: those keys will be refused',
			fix: 'a cluster admin runs kubectl create clusterrolebinding warroom-edit --clusterrole=edit --user=YOU; then kubectl auth can-i patch deployments -A --context prod-eu says yes',
		});
	});

	it('a read denied in one namespace of two is missing, for that namespace only', () => {
		const [reads] = accessFindings(
			answers(
				(verb, resource, scope) => resource === 'events' && scope[1] === 'jobs',
				[
					['-n', 'shop'],
					['-n', 'jobs'],
				],
			),
			'prod-eu',
		);
		expect(reads).toMatchObject({
			status: 'missing',
			detail: 'denied: list events in namespace jobs: the Pods panel cannot show them',
			fix: 'a cluster admin runs kubectl create rolebinding warroom-view --clusterrole=view --user=YOU -n jobs; then kubectl auth can-i list events -n jobs --context prod-eu says yes',
		});
	});
});

describe('the database role’s grants', () => {
	const role = {role: 'Ops Team', role_ident: '"Ops Team"', version: '16.4', reads_all_stats: false, signals_backends: false};

	it('names each missing grant with the GRANT that gives it, the role quoted as SQL needs', () => {
		expect(privilegeFindings(role)).toEqual([
			{
				check: 'database reads',
				status: 'missing',
				detail:
					"role Ops Team lacks pg_read_all_stats: the Database panel cannot see other roles' queries, and C and K refuse their backends",
				fix: 'as a superuser: GRANT pg_monitor TO "Ops Team";',
			},
			{
				check: 'database keys',
				status: 'warn',
				detail: 'role Ops Team lacks pg_signal_backend: C and K can signal only backends of its own role',
				fix: 'as a superuser: GRANT pg_signal_backend TO "Ops Team";',
			},
		]);
	});

	it('a role with both is ok twice', () => {
		expect(privilegeFindings({...role, reads_all_stats: true, signals_backends: true}).map(finding => finding.status)).toEqual([
			'ok',
			'ok',
		]);
	});
});

describe('the health checks’ probe', () => {
	let dir: string | undefined;
	afterEach(async () => {
		if (dir) await rm(dir, {recursive: true, force: true});
	});
	const common = {timeoutMs: 2000, intervalMs: 10_000};
	const command = (name: string, argv: string[]): HealthCheck => ({...common, name, kind: 'command', target: {argv}});

	it('finds a program on PATH or by its path, and says which is missing or may not run', async () => {
		dir = await mkdtemp(join(tmpdir(), 'warroom-doctor-'));
		writeFileSync(join(dir, 'run-checks'), '#!/bin/sh\nexit 0\n');
		chmodSync(join(dir, 'run-checks'), 0o755);
		writeFileSync(join(dir, 'not-runnable'), '#!/bin/sh\nexit 0\n');
		chmodSync(join(dir, 'not-runnable'), 0o644);
		const probe = probeCheck({PATH: `/nowhere:${dir}`}, dir);
		const findings = await healthFindings(
			[
				command('on-path', ['run-checks', '--critical-only']),
				command('relative', ['./run-checks']),
				command('absent', ['no-such-program']),
				command('absent-path', ['./bin/no-such-program']),
				command('refused', ['./not-runnable']),
			],
			probe,
		);
		expect(findings).toEqual([
			{check: 'health check on-path', status: 'ok', detail: `command: runs ${dir}/run-checks`},
			{check: 'health check relative', status: 'ok', detail: `command: runs ${dir}/run-checks`},
			{
				check: 'health check absent',
				status: 'missing',
				detail: 'command: no-such-program not found on PATH',
				fix: 'install no-such-program, or give its full path in warroom.yaml',
			},
			{
				check: 'health check absent-path',
				status: 'missing',
				detail: 'command: ./bin/no-such-program not found',
				fix: 'correct the path in warroom.yaml, or install it there',
			},
			{
				check: 'health check refused',
				status: 'missing',
				detail: `command: ${dir}/not-runnable cannot be run: permission denied (EACCES)`,
				fix: `chmod +x ${dir}/not-runnable`,
			},
		]);
	});

	it('a network check needs its host to resolve; an address needs nothing; the URL itself is never shown', async () => {
		const probe = probeCheck({}, '/');
		const findings = await healthFindings(
			[
				{...common, name: 'api', kind: 'http', target: {url: 'https://user:pw-4411@[::1]:8443/health'}, headers: {}},
				{...common, name: 'cert', kind: 'tls', target: {host: 'localhost', port: 443}},
				{...common, name: 'db', kind: 'tcp', target: {host: 'db.invalid', port: 5432}},
			],
			probe,
		);
		expect(findings[0]).toEqual({check: 'health check api', status: 'ok', detail: 'http: connects to ::1'});
		expect(findings[1]).toMatchObject({status: 'ok', detail: expect.stringMatching(/^tls: localhost resolves to /)});
		expect(findings[2]).toMatchObject({
			status: 'missing',
			detail: expect.stringMatching(/^tcp: cannot resolve db\.invalid: /),
			fix: 'correct the name in warroom.yaml, or the resolver (getent hosts db.invalid)',
		});
		expect(JSON.stringify(findings)).not.toContain('pw-4411');
	});

	it('none configured: one line saying the Health panel stays empty', async () => {
		expect(await healthFindings([], probeCheck({}, '/'))).toEqual([
			{check: 'health checks', status: 'skipped', detail: 'none in warroom.yaml: the Health panel stays empty'},
		]);
	});
});
