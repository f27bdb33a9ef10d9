/**
 * Paging and webhooks from the built console, against an endpoint on
 * 127.0.0.1: a console killed with SIGKILL while its first post is held
 * (queued in the journal, not sent), then started again, delivers each
 * event exactly once; a 200-character routing key and webhook token reach
 * neither the screen, the journal nor `snapshot`. `--dry-run` queues what
 * would be sent and sends nothing; `--read-only` queues nothing.
 */
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, expect, it} from 'vitest';
import {cleanup, makeTempDir, runCli, type ConsoleSession} from '../helpers/pty';
import {startNotifyServer, type NotifyServer, type Reply} from '../helpers/notify-server';
import {journalEvents, openConsole} from './steps';

const routingKey = `rk${'K'.repeat(198)}`;
const slackToken = `xoxb${'S'.repeat(196)}`;
const servers: NotifyServer[] = [];
afterEach(async () => {
	await cleanup();
	for (const server of servers.splice(0)) await server.close();
});

async function setUp(script: (path: string, n: number) => Reply) {
	const server = await startNotifyServer(script);
	servers.push(server);
	const dataDir = makeTempDir();
	const config = join(makeTempDir('warroom-config-'), 'warroom.yaml');
	writeFileSync(
		config,
		[
			'notify:',
			'  pagerduty: {routingKey: "${PD_KEY}", url: "${PD_URL}"}',
			'  webhooks:',
			'    - {name: ops, url: "${SLACK_URL}", format: slack, on: [declared]}',
			'',
		].join('\n'),
	);
	const env = {PD_KEY: routingKey, PD_URL: server.url('/v2/enqueue'), SLACK_URL: server.url(`/services/${slackToken}`)};
	const declared = await runCli(
		['declare', '--data-dir', dataDir, '--severity', 'P1', '--title', 'Checkout errors', '--services', 'api'],
		{
			env,
		},
	);
	expect(declared.code, declared.stderr).toBe(0);
	const open = (...args: string[]) => openConsole({args: ['--config', config, ...args], dataDir, env, cols: 160, rows: 40});
	return {server, dataDir, config, env, open};
}

const sentCount = (dataDir: string) => journalEvents(dataDir).filter(event => event.type === 'notify_sent').length;
const expectNoSecret = (text: string) => {
	expect(text).not.toContain(routingKey);
	expect(text).not.toContain(slackToken);
	expect(text).not.toContain('KKKKKKKKKK');
};

it(
	'a console killed between queueing and sending: after the restart each event arrives exactly once',
	{timeout: 40_000},
	async () => {
		// PagerDuty's first post is held (never answered); after the restart its first try fails (500), then it is accepted.
		const {server, dataDir, config, env, open} = await setUp((path, n) =>
			path !== '/v2/enqueue' ? 202 : n === 1 ? 'hold' : n === 2 ? 500 : 202,
		);
		const first = await open();
		await first.waitFor(() => server.received.length === 1, {timeout: 10_000});
		await first.waitFor(() => journalEvents(dataDir).filter(event => event.type === 'notify_queued').length === 2);
		expect(
			journalEvents(dataDir)
				.filter(event => event.type === 'notify_queued')
				.map(event => event.id),
		).toEqual(['pagerduty/trigger/1', 'ops/declared/1']);
		first.kill('SIGKILL');
		await first.exited;
		expect(sentCount(dataDir)).toBe(0);

		const second: ConsoleSession = await open();
		await second.waitFor(/could not send pagerduty\/trigger\/1 \(attempt 1\): HTTP 500/, {timeout: 10_000});
		await second.waitFor(() => sentCount(dataDir) === 2, {timeout: 15_000});
		await second.waitFor(/sent pagerduty\/trigger\/1: HTTP 202/);

		expect(server.received.map(({path, reply}) => [path === '/v2/enqueue' ? 'pagerduty' : 'ops', reply])).toEqual([
			['pagerduty', 'hold'],
			['pagerduty', 500],
			['ops', 202],
			['pagerduty', 202],
		]);
		const delivered = server.delivered();
		expect(delivered.map(({path}) => path).sort()).toEqual([`/services/${slackToken}`, '/v2/enqueue']);
		expect(delivered.find(({path}) => path === '/v2/enqueue')!.body).toMatchObject({
			routing_key: routingKey,
			event_action: 'trigger',
			dedup_key: 'INC-1',
			payload: {summary: 'INC-1 [P1] Checkout errors', source: 'warroom', severity: 'error'},
		});
		expect(delivered.find(({path}) => path !== '/v2/enqueue')!.body['text']).toContain('INCIDENT ALERT');
		// Every queued notification was queued once, by the first console; the second only sent.
		expect(journalEvents(dataDir).filter(event => event.type === 'notify_queued')).toHaveLength(2);

		expectNoSecret(second.output);
		expectNoSecret(readFileSync(join(dataDir, 'INC-1.jsonl'), 'utf8'));
		const snapshot = await runCli(['snapshot', '--config', config, '--data-dir', dataDir, '--format', 'json'], {env});
		expect(snapshot.stdout).toContain('"INC-1"');
		expectNoSecret(snapshot.stdout + snapshot.stderr);
	},
);

it('--dry-run says what it would send and sends nothing; --read-only queues nothing', {timeout: 30_000}, async () => {
	const {server, dataDir, open} = await setUp(() => 202);
	const readOnly = await open('--read-only');
	await readOnly.waitFor('INC-1');
	const dryRun = await open('--dry-run');
	await dryRun.waitFor('would send pagerduty/trigger/1 (dry run)', {timeout: 10_000});
	await dryRun.waitFor('would send ops/declared/1 (dry run)');
	expect(server.received).toEqual([]);
	expect(
		journalEvents(dataDir)
			.filter(event => event.type === 'notify_queued')
			.map(event => event.dryRun),
	).toEqual([true, true]);
});

it(
	'pages PagerDuty at the declaration, acknowledges with the first note and resolves with the incident',
	{timeout: 30_000},
	async () => {
		const {server, dataDir, env, open} = await setUp(() => 202);
		const app = await open();
		const pages = () => server.delivered().filter(({path}) => path === '/v2/enqueue');
		await app.waitFor(() => pages().length === 1, {timeout: 10_000});
		// Written by another process: the console hears it in the journal, as it would another responder's.
		expect((await runCli(['note', '--data-dir', dataDir, 'INC-1', 'gateway pods crash-looping'], {env})).code).toBe(0);
		await app.waitFor(() => pages().length === 2, {timeout: 10_000});
		expect((await runCli(['status', '--data-dir', dataDir, 'INC-1', 'resolved'], {env})).code).toBe(0);
		await app.waitFor(() => pages().length === 3, {timeout: 10_000});
		await app.waitFor(/sent pagerduty\/resolve\/\d+: HTTP 202/);
		expect(pages().map(({body}) => [body['event_action'], body['dedup_key'], body['routing_key'] === routingKey])).toEqual([
			['trigger', 'INC-1', true],
			['acknowledge', 'INC-1', true],
			['resolve', 'INC-1', true],
		]);
		// The webhook here hears only of the declaration.
		expect(server.delivered().filter(({path}) => path !== '/v2/enqueue')).toHaveLength(1);
	},
);
