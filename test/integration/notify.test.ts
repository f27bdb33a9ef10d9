/**
 * The sender against a real endpoint on 127.0.0.1 and a real file journal:
 * a post answered 500, then one left hanging past the timeout, then
 * accepted, arrives once, in PagerDuty's and Slack's shapes; two senders on
 * one journal post each notification once.
 */
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {hostname, tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, expect, it} from 'vitest';
import type {NotifyConfig} from '../../source/config/types';
import {createRedactor} from '../../source/config/secrets';
import {newEvent, type JournalEvent} from '../../source/incident/events';
import {FileJournal} from '../../source/incident/file-journal';
import {startSender, type Sender} from '../../source/notify/sender';
import {startNotifyServer} from '../helpers/notify-server';

const routingKey = `rk_${'k'.repeat(197)}`;
const slackToken = 'T'.repeat(200);
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
	for (const clean of cleanups.splice(0).reverse()) await clean();
});

async function setUp(script: Parameters<typeof startNotifyServer>[0]) {
	const server = await startNotifyServer(script);
	const dir = mkdtempSync(join(tmpdir(), 'warroom-notify-'));
	cleanups.push(
		() => rmSync(dir, {recursive: true, force: true}),
		() => server.close(),
	);
	const notify: NotifyConfig = {
		pagerduty: {routingKey, url: server.url('/v2/enqueue')},
		webhooks: [{name: 'ops', url: server.url(`/services/${slackToken}`), format: 'slack', on: ['declared']}],
		timeoutMs: 300,
	};
	const journal = new FileJournal({dir, actor: 'alice@bastion'});
	const {id} = await journal.create(newEvent.declared({title: 'Checkout errors', severity: 'P1', services: ['api']}));
	await journal.append(
		id,
		newEvent.notifyQueued({
			id: 'pagerduty/trigger/1',
			target: 'pagerduty',
			kind: 'trigger',
			payload: {event_action: 'trigger', dedup_key: id, payload: {summary: 'INC-1 [P1] Checkout errors'}},
		}),
	);
	await journal.append(
		id,
		newEvent.notifyQueued({id: 'ops/declared/1', target: 'ops', kind: 'declared', payload: {text: 'INC-1 declared'}}),
	);
	const failures: string[] = [];
	const sender = (): Sender => {
		const started = startSender({
			journal: new FileJournal({dir, actor: 'alice@bastion'}),
			dir,
			notify,
			track: (_what, write) => write,
			redact: createRedactor([routingKey, notify.webhooks[0]!.url]),
			onFailure: text => failures.push(text),
			backoffBaseMs: 50,
		});
		cleanups.push(() => started.stop());
		return started;
	};
	return {server, dir, id, journal, sender, failures};
}

/** Waits for the journal to say every notification was sent: the positive signal before counting what arrived. */
async function allSent(journal: FileJournal, id: string, count: number): Promise<JournalEvent[]> {
	const deadline = Date.now() + 10_000;
	for (;;) {
		const {events} = await journal.read(id);
		if (events.filter(event => event.type === 'notify_sent').length >= count) return events;
		if (Date.now() > deadline) throw new Error(`not all sent: ${JSON.stringify(events.slice(1), null, 1)}`);
		await new Promise(resolve => setTimeout(resolve, 20));
	}
}

it(
	'retries a 500 and a post that hangs past the timeout, and delivers each event once, in its shape',
	{timeout: 20_000},
	async () => {
		const {server, dir, id, journal, sender, failures} = await setUp((_path, n) => (n === 1 ? 500 : n === 2 ? 'hold' : 202));
		void sender().kick(id);
		const events = await allSent(journal, id, 2);

		const delivered = server.delivered();
		expect(delivered.map(({path}) => path).sort()).toEqual([`/services/${slackToken}`, '/v2/enqueue']);
		expect(server.received).toHaveLength(6);
		const paging = delivered.find(({path}) => path === '/v2/enqueue')!;
		expect(paging.body).toEqual({
			routing_key: routingKey,
			event_action: 'trigger',
			dedup_key: 'INC-1',
			payload: {summary: 'INC-1 [P1] Checkout errors'},
		});
		expect(paging.headers['content-type']).toBe('application/json');
		const slack = delivered.find(({path}) => path !== '/v2/enqueue')!;
		expect(slack.body).toEqual({text: 'INC-1 declared'});
		expect(slack.headers['idempotency-key']).toBe('ops/declared/1');

		const tries = events.flatMap(event => (event.type === 'notify_failed' ? [[event.id, event.attempt, event.error]] : []));
		expect(tries).toEqual([
			['pagerduty/trigger/1', 1, 'HTTP 500'],
			['ops/declared/1', 1, 'HTTP 500'],
			['pagerduty/trigger/1', 2, 'timed out'],
			['ops/declared/1', 2, 'timed out'],
		]);
		expect(failures).toContain('could not send pagerduty/trigger/1 (attempt 2): timed out');
		const file = readFileSync(join(dir, `${id}.jsonl`), 'utf8');
		expect(file).not.toContain(routingKey);
		expect(file).not.toContain(slackToken);
	},
);

it('gives up on a post the endpoint refuses as bad, saying so', {timeout: 20_000}, async () => {
	const {server, id, journal, sender, failures} = await setUp(path => (path === '/v2/enqueue' ? 400 : 202));
	void sender().kick(id);
	await allSent(journal, id, 1);
	const deadline = Date.now() + 5000;
	while (!failures.some(text => text.includes('given up')) && Date.now() < deadline) await new Promise(r => setTimeout(r, 20));
	expect(failures).toEqual(['could not send pagerduty/trigger/1 (attempt 1): HTTP 400: given up']);
	expect(server.received.filter(({path}) => path === '/v2/enqueue')).toHaveLength(1);
});

it('two consoles on one journal post each notification once', {timeout: 20_000}, async () => {
	const {server, id, journal, sender} = await setUp(() => 202);
	const [one, two] = [sender(), sender()];
	void one.kick(id);
	void two.kick(id);
	await allSent(journal, id, 2);
	// Both rounds over, each having read the journal inside the lock.
	await Promise.all([one.kick(id), two.kick(id)]);
	expect(server.received.map(({path}) => path).sort()).toEqual([`/services/${slackToken}`, '/v2/enqueue']);
	const {events} = await journal.read(id);
	expect(events.filter(event => event.type === 'notify_sent')).toHaveLength(2);
});

it(
	'waits without a word while another console holds the sending lock, and sends once it is free',
	{timeout: 30_000},
	async () => {
		const {server, dir, id, journal, sender, failures} = await setUp(() => 202);
		// Held as a live console on this host holds it: never taken away from it.
		const lock = join(dir, `${id}.notify.lock`);
		mkdirSync(lock);
		writeFileSync(join(lock, 'owner'), `${hostname()} ${process.pid} other-console`);
		const one = sender();
		await one.kick(id);
		expect(failures).toEqual([]);
		expect(server.received).toEqual([]);
		rmSync(lock, {recursive: true});
		await one.kick(id);
		await allSent(journal, id, 2);
		expect(server.delivered()).toHaveLength(2);
	},
);
