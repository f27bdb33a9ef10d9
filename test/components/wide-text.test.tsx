/** Wide (CJK, emoji), right-to-left and invisible characters in every panel keep the frame straight. */
import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {renderToString} from 'ink';
import {App} from '../../source/app';
import {newEvent} from '../../source/incident/events';
import {replayIncident} from '../../source/incident/incident';
import {update} from '../../source/store';
import {journalOf} from '../helpers/incidents';
import {policy, testStore, testControls} from '../helpers/store';
import {testPod} from '../helpers/pods';

const controls = testControls();

// CJK, emoji (with a skin tone and a ZWJ family), right-to-left text, and invisible characters that would shift the frame.
const awkward = [
	'障害対応中のデータベース接続',
	'👨‍👩‍👧 family 👍🏽 ok 🔥🔥',
	'שלום עולם مرحبا بالعالم',
	'zero\u200Bwidth \u202Eevil\u202C \u2066iso\u2069 \uFEFFbom',
];

const pod = (name: string) => testPod(name);

const rightBorders = /[│║┐╗┘╝]$/;

function awkwardScreen(columns: number) {
	const phases = policy.phases.map(phase => ({...phase, label: `対応 🔥 ${phase.label}`}));
	const store = testStore({columns, rows: 30});
	store.setState({
		policy: {...policy, phases},
		incident: replayIncident(
			'INC-1',
			journalOf(
				[0, newEvent.declared({title: '決済 API 障害 👨‍👩‍👧', severity: 'P1', services: ['api']})],
				...awkward.map((text, index): [number, ReturnType<typeof newEvent.note>] => [index + 1, newEvent.note(text)]),
			),
		),
	});
	update.reading(store, 'kubernetes', {
		state: 'ok',
		data: {pods: awkward.map(pod), healthyCount: 1},
		fetchedAt: store.getState().now,
	});
	update.ui(store, {focus: 'timeline'});
	return renderToString(<App store={store} controls={controls} />, {columns}).split('\n');
}

describe.each([80, 200])('wide and invisible characters at %i columns', columns => {
	it('keep every framed line exactly as wide as the terminal, its right border in the last column', () => {
		const lines = awkwardScreen(columns);
		const framed = lines.slice(2, -1);
		expect(lines.join('\n')).toContain('障害対応中');
		expect(lines.join('\n')).toContain('👨‍👩‍👧');
		for (const line of lines) expect(stringWidth(line), line).toBeLessThanOrEqual(columns);
		for (const line of framed) {
			expect(stringWidth(line), line).toBe(columns);
			expect(line, line).toMatch(rightBorders);
		}
	});

	it('never pass a bidi control or a zero-width space to the terminal', () => {
		expect(awkwardScreen(columns).join('\n')).not.toMatch(/[\u200B\u202A-\u202E\u2066-\u2069\uFEFF]/);
	});

	it('keep the borders of side-by-side panels in the columns of their top corners', () => {
		const lines = awkwardScreen(columns).slice(2, -1);
		/** The display columns at which `characters` appear in a line. */
		const columnsOf = (line: string, characters: RegExp) => {
			const found: number[] = [];
			let at = 0;
			for (const {segment} of new Intl.Segmenter(undefined, {granularity: 'grapheme'}).segment(line)) {
				if (characters.test(segment)) found.push(at);
				at += stringWidth(segment);
			}
			return found;
		};
		let corners: number[] = [];
		for (const line of lines) {
			if (/^[┌╔]/.test(line)) corners = columnsOf(line, /[┌╔┐╗]/);
			else if (/^[└╚]/.test(line)) expect(columnsOf(line, /[└╚┘╝]/), line).toEqual(corners);
			else expect(columnsOf(line, /[│║]/), line).toEqual(corners);
		}
	});
});
