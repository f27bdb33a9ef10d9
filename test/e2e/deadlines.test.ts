/**
 * The keys that meet the runbook's deadlines, end to end: `e` records the
 * escalation (prefilled with whom the severity escalates to), `t` a customer
 * message as sent, which starts the wait for the next update.
 */
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, expect, it} from 'vitest';
import {cleanup, keys} from '../helpers/pty';
import {declareIncident, openConsole} from './steps';

afterEach(cleanup);

const journalTypes = (dataDir: string) =>
	readFileSync(join(dataDir, 'INC-1.jsonl'), 'utf8')
		.trim()
		.split('\n')
		.map(line => (JSON.parse(line) as {type: string}).type);

it('e records the escalation to the SRE team lead on a P0, and the escalate deadline is done', async () => {
	const app = await openConsole();
	await declareIncident(app, {severity: 'P0', title: 'Payments down'});
	await app.waitFor(/^escalate in 4m · respond in 14m · customer in 29m$/m);
	app.press('e');
	const form = await app.waitFor('Record an escalation');
	expect(form.join('\n')).toMatch(/Escalated to: SRE team lead/);
	app.press(keys.enter);
	const screen = await app.waitFor('escalation to SRE team lead recorded');
	await app.waitFor(/escalate done/);
	expect(screen.join('\n')).toMatch(/escalated to SRE te/);
	expect(journalTypes(app.dataDir!)).toEqual(['declared', 'escalated']);
});

it('T records the initial customer message sent some other way; the next one offered is an update, due in 30 minutes', async () => {
	const app = await openConsole();
	await declareIncident(app, {severity: 'P0', title: 'Payments down'});
	app.press('T');
	let screen = await app.waitFor('Record a customer message as sent');
	expect(screen.join('\n')).toMatch(/Message: .*initial/);
	app.press(keys.enter);
	await app.waitFor('initial customer message recorded as sent');
	screen = await app.waitFor(/customer done/);
	expect(screen[1]).toMatch(/update in 29m|update in 30m/);

	app.press('T');
	screen = await app.waitFor('Record a customer message as sent');
	expect(screen.join('\n')).toMatch(/Message: .*update/);
	app.press(keys.enter);
	await app.waitFor('update customer message recorded as sent');
	expect(journalTypes(app.dataDir!)).toEqual(['declared', 'communicated', 'communicated']);
});
