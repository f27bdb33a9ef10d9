import {describe, expect, it} from 'vitest';
import {lineMaxLength, openOutput, outputKey, outputLines, outputMaxLines} from '../../source/actions/output';

describe("a read command's output", () => {
	it('is plain lines: escape sequences, controls, bidi and zero-width characters removed', () => {
		expect(outputLines('\u001B[31mERROR\u001B[0m boom\r\n\u001B]0;pwned\u0007title\u202Eevil\u200Bx\n')).toEqual([
			'ERROR boom',
			'titleevilx',
		]);
	});

	it('keeps the last lines of a long log, saying how many earlier ones were left out', () => {
		const text = Array.from({length: outputMaxLines + 1000}, (_, index) => `line ${index + 1}`).join('\n');
		const lines = outputLines(text);
		expect(lines).toHaveLength(outputMaxLines + 1);
		expect(lines[0]).toBe('… 1000 earlier lines not shown');
		expect(lines[1]).toBe('line 1001');
		expect(lines.at(-1)).toBe(`line ${outputMaxLines + 1000}`);
	});

	it('cuts a 100 KB line', () => {
		const [line] = outputLines('x'.repeat(100_000));
		expect(line).toHaveLength(lineMaxLength + 1);
		expect(line?.endsWith('…')).toBe(true);
	});
});

describe('scrolling the output', () => {
	const lines = Array.from({length: 50}, (_, index) => `line ${index + 1}`);
	const visible = 10;
	const command = 'kubectl --context prod -n shop logs api-x --all-containers --tail=200 --timestamps';

	it('opens a log at its end and a describe at its start', () => {
		expect(openOutput({title: 'logs', command, lines}, visible, true).top).toBe(40);
		expect(openOutput({title: 'describe', command, lines}, visible, false).top).toBe(0);
		expect(openOutput({title: 'short', command, lines: ['one']}, visible, true).top).toBe(0);
	});

	it('moves a line with ↑↓ and j k, a page with PgUp PgDn, to the ends with g G, never past them', () => {
		let view = openOutput({title: 'describe', command, lines}, visible, false);
		const press = (...names: string[]) => {
			for (const name of names) {
				const step = outputKey(view, name, visible);
				if ('view' in step) view = step.view;
			}
			return view.top;
		};
		expect(press('down', 'j')).toBe(2);
		expect(press('k')).toBe(1);
		expect(press('pagedown')).toBe(11);
		expect(press('G')).toBe(40);
		expect(press('down', 'pagedown')).toBe(40);
		expect(press('pageup')).toBe(30);
		expect(press('g', 'up')).toBe(0);
	});

	it('closes on Esc or q', () => {
		const view = openOutput({title: 'logs', command, lines}, visible, true);
		expect(outputKey(view, 'esc', visible)).toEqual({close: true});
		expect(outputKey(view, 'q', visible)).toEqual({close: true});
		expect(outputKey(view, 'x', visible)).toEqual({view});
	});
});
