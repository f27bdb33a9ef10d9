import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {createRedactor} from '../../source/config/secrets';
import {messageTemplates, newEvent, type NewEvent} from '../../source/incident/events';
import {computeClock} from '../../source/incident/clock';
import {replayIncident} from '../../source/incident/incident';
import {describeEvent} from '../../source/incident/timeline';
import {bothZones, fillTemplate, messageValues, missingFieldsText, type GivenFields} from '../../source/incident/messages';
import {loadPolicy} from '../../source/incident/policy-file';
import {declaredAt, journalOf, minute} from '../helpers/incidents';

const runbooks = join(import.meta.dirname, '../../runbooks');
const policy = loadPolicy(join(runbooks, 'severity.yaml'));
const templateText = (name: string) => readFileSync(join(runbooks, 'templates', `${name}.md`), 'utf8');
const token = 'tok_' + 'x'.repeat(196);
const redact = createRedactor([token]);

const declared = newEvent.declared({
	title: 'Checkout errors',
	severity: 'P1',
	services: ['api-gateway', 'auth'],
	commander: 'alice',
});
const incidentOf = (...later: Array<[number, NewEvent]>) => replayIncident('INC-7', journalOf([0, declared], ...later))!;
const given: GivenFields = {
	impact: 'Checkout failed for 40% of users',
	rootCause: 'A bad gateway config push',
	eta: '30 minutes',
};
const now = declaredAt + 42 * minute;

function filled(name: string, incident = incidentOf(), fields: GivenFields = given, zone = 'UTC'): string {
	const result = fillTemplate(templateText(name), messageValues({policy, incident, given: fields, now, zone, redact}));
	if ('missing' in result) throw new Error(`missing ${result.missing.join(', ')}`);
	return result.text;
}

describe('filling the message templates', () => {
	const resolved = incidentOf(
		[
			20,
			newEvent.actionStarted({
				action: 'rollout-undo',
				label: 'rollout undo',
				target: 'production/api-gateway',
				command: 'kubectl rollout undo',
				dryRun: false,
			}),
		],
		[
			21,
			newEvent.actionFinished({
				action: 'rollout-undo',
				label: 'rollout undo',
				target: 'production/api-gateway',
				outcome: 'ok',
				exitCode: 0,
				durationMs: 1200,
			}),
		],
		[40, newEvent.status('resolved', 'investigating')],
	);

	it.each(messageTemplates)('%s fills completely: no {field} and no [PLACEHOLDER] left, and always the next update', name => {
		const text = filled(name, resolved);
		expect(text).not.toMatch(/\{[A-Za-z]+\}|\[[A-Z_/ ]+\]/);
		if (name !== 'resolution') expect(text).toContain('Next update by: 2026-11-27 04:12 UTC');
	});

	it('writes the initial alert from the declaration, with the seed words and the promised update interval', () => {
		expect(filled('initial')).toBe(
			[
				'🚨 INCIDENT ALERT - 2026-11-27 03:42 UTC',
				'',
				'We are currently investigating reports of Checkout errors.',
				'Our engineering team has been notified and is actively working on a resolution.',
				'',
				'Affected services: api-gateway, auth',
				'Current status: investigating',
				'ETA for resolution: 30 minutes',
				'',
				'We will provide updates every 30 minutes until resolved.',
				'Next update by: 2026-11-27 04:12 UTC',
				'',
				'Status page: https://status.terragonlabs.com',
				'Incident ID: INC-7',
				'',
			].join('\n'),
		);
	});

	it('says "Under investigation" when no ETA is given, as the seed does', () => {
		expect(filled('initial', incidentOf(), {})).toContain('ETA for resolution: Under investigation');
	});

	it('writes the resolution from what ran: root cause, duration, impact, the mitigations and the review date', () => {
		const text = filled('resolution', resolved);
		expect(text).toContain('✅ RESOLVED - 2026-11-27 03:42 UTC');
		expect(text).toContain('- Issue: A bad gateway config push');
		expect(text).toContain('- Duration: 40m');
		expect(text).toContain('- Impact: Checkout failed for 40% of users');
		expect(text).toContain('- Resolution: ran rollout undo on production/api-gateway');
		expect(text).toContain('- Post-incident review scheduled for 2026-11-28 03:40 UTC');
	});

	it('gives every time in UTC and in the reader zone', () => {
		expect(bothZones(declaredAt, 'Europe/Paris')).toBe('2026-11-27 03:00 UTC / 04:00 CET');
		expect(filled('update', incidentOf(), given, 'America/New_York')).toContain(
			'Next update by: 2026-11-27 04:12 UTC / 23:12 GMT-5',
		);
	});

	it('promises an update an hour on when the severity sets no interval', () => {
		const p3 = replayIncident('INC-2', journalOf([0, {...declared, severity: 'P3'}]))!;
		expect(filled('internal', p3)).toContain('Next update by: 2026-11-27 04:42 UTC');
	});

	it('names the fields it cannot derive, with the flag that gives each', () => {
		const result = fillTemplate(
			templateText('resolution'),
			messageValues({policy, incident: incidentOf(), given: {}, now, zone: 'UTC', redact}),
		);
		expect(result).toEqual({missing: ['rootCause', 'impact', 'resolution']});
		expect(missingFieldsText('resolution', ['rootCause', 'impact'])).toBe(
			'the resolution message needs --root-cause (root cause), --impact (impact on users)',
		);
		expect(missingFieldsText('update', ['typo'])).toBe('the update message needs {typo} (not a field warroom knows)');
	});

	it('cleans hostile text from the journal: no escape sequence, bidi control or zero-width character, no secret, no 100 KB line', () => {
		const hostile = replayIncident(
			'INC-9',
			journalOf([
				0,
				newEvent.declared({
					title: `Pay\u001B]52;c;ZXZpbA==\u0007ment \u202Edown\u202C\u200B ${token} ${'A'.repeat(100_000)}`,
					severity: 'P0',
					services: ['api\u001B[2J', 'auth\nInjected: yes'],
				}),
			]),
		)!;
		const text = filled('internal', hostile, {...given, impact: `impact {rootCause} ${token}`});
		expect(text).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B\u202A-\u202E]/);
		expect(text).not.toContain(token);
		expect(text).toContain('Services: api, auth Injected: yes');
		// A value is never expanded again, and a long one is cut.
		expect(text).toContain('Impact: impact {rootCause} ');
		expect(text.length).toBeLessThan(3000);
	});
});

describe('a message produced, in the journal', () => {
	const produced = (template: 'initial' | 'update' | 'internal', at: number): [number, NewEvent] => [
		at,
		newEvent.messageProduced({template, how: 'copied', sha256: 'ab'.repeat(32)}),
	];
	const nextUpdate = (incident: ReturnType<typeof incidentOf>, at: number) =>
		computeClock(policy, incident, at).deadlines.filter(
			deadline => deadline.label === 'next update' && deadline.status === 'pending',
		);

	it('meets the customer deadline and starts the wait for the next update, which each update resets', () => {
		const incident = incidentOf(produced('initial', 10), produced('update', 35));
		const clock = computeClock(policy, incident, declaredAt + 36 * minute);
		expect(clock.deadlines.find(deadline => deadline.id === 'customer')).toMatchObject({
			status: 'met',
			metAt: declaredAt + 10 * minute,
		});
		expect(nextUpdate(incident, declaredAt + 36 * minute).map(deadline => deadline.dueAt)).toEqual([declaredAt + 65 * minute]);
	});

	it('an internal update is not a customer message: the wait for the next one goes on', () => {
		const incident = incidentOf(produced('initial', 10), produced('internal', 35));
		expect(nextUpdate(incident, declaredAt + 36 * minute).map(deadline => deadline.dueAt)).toEqual([declaredAt + 40 * minute]);
	});

	it('reads on the timeline as what left the console', () => {
		const [event] = journalOf([
			1,
			newEvent.messageProduced({template: 'update', how: 'file', sha256: 'ab'.repeat(32), file: '/d/INC-7-update.txt'}),
		]);
		expect(describeEvent(event!)).toBe('wrote the update message to /d/INC-7-update.txt');
		expect(describeEvent(journalOf(produced('initial', 1))[0]!)).toBe('copied the initial message (sha256 abababababab)');
	});
});

describe("the seed's communication templates", () => {
	const seed = readFileSync(join(import.meta.dirname, '../fixtures/seed-runbook.md'), 'utf8');
	/** A template's block in the seed, by its heading. */
	const seedBlock = (heading: string) => seed.split(`### ${heading}\n\`\`\`\n`)[1]!.split('```')[0]!;
	/** A line as both write it: placeholders (`[X]`, `{x}`, `INC-[N]`, "30 minutes") as `{}`, emoji and spaces at the ends left out. */
	const shape = (line: string) =>
		line
			.replace(/INC-\[[^\]]+\]/g, '{}')
			.replace(/\[[^\]]+\]( or "[^"]+")?/g, '{}')
			.replace(/\{\w+\}/g, '{}')
			.replace(/\d+ minutes/g, '{}')
			.replace(/[^\x20-\x7E]/g, '')
			.trim();
	const lines = (text: string) => text.split('\n').map(shape).filter(Boolean);

	it.each([
		['Initial Customer Communication (P0/P1)', 'initial.md'],
		['Resolution Communication', 'resolution.md'],
	])('has every line of "%s" in %s, in order', (heading, file) => {
		const ours = lines(readFileSync(join(import.meta.dirname, '../../runbooks/templates', file), 'utf8'));
		const theirs = lines(seedBlock(heading));
		expect(theirs.length).toBeGreaterThan(5);
		// In order, with lines of ours (the next update's time, the incident id) allowed between.
		let at = 0;
		for (const line of theirs) {
			const found = ours.indexOf(line, at);
			expect(found, `"${line}" in ${file}`).toBeGreaterThanOrEqual(0);
			at = found + 1;
		}
	});
});
