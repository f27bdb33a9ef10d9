import {describe, expect, it} from 'vitest';
import {bindingFor, bindings, footerHints, liveBindings, type KeyContext} from '../../source/actions/keys';
import {createInputReader, keyPresses} from '../../source/actions/input';

const context: KeyContext = {focus: 'pods', hasIncident: true, readOnly: false, zoomed: false};
const actions = (live: ReturnType<typeof liveBindings>) => live.map(binding => binding.action);

describe('the default key map', () => {
	it('binds the keys DESIGN.md promises', () => {
		const keys = bindings.flatMap(binding => binding.keys);
		for (const key of [
			'?',
			'q',
			'tab',
			'shift-tab',
			'1',
			'5',
			'enter',
			'esc',
			'up',
			'down',
			'j',
			'k',
			'/',
			'd',
			'p',
			'S',
			'n',
			'r',
		]) {
			expect(keys).toContain(key);
		}
	});

	it('gives every key one action at most in any context', () => {
		for (const focus of ['pods', 'runbook'] as const) {
			const keys = liveBindings({...context, focus}).flatMap(binding => binding.keys);
			expect(new Set(keys).size).toBe(keys.length);
		}
	});

	it('binds no Ctrl chord', () => {
		expect(bindings.flatMap(binding => binding.keys).some(key => key.startsWith('ctrl-'))).toBe(false);
	});

	it('binds nothing that writes in read-only mode', () => {
		const live = liveBindings({...context, readOnly: true});
		expect(live.filter(binding => binding.risk !== 'read')).toEqual([]);
		expect(bindingFor('d', {...context, readOnly: true})).toBeUndefined();
	});

	it('offers incident changes only once there is an incident', () => {
		expect(actions(liveBindings({...context, hasIncident: false}))).not.toContain('note');
		expect(actions(liveBindings({...context, hasIncident: false}))).toContain('declare');
		expect(bindingFor('n', context)?.action).toBe('note');
	});

	it('ticks checklist items only in the runbook panel', () => {
		expect(bindingFor('space', context)).toBeUndefined();
		expect(bindingFor('space', {...context, focus: 'runbook'})?.action).toBe('tick');
	});

	it('Enter zooms only while nothing is zoomed', () => {
		expect(bindingFor('enter', context)?.action).toBe('zoom');
		expect(bindingFor('enter', {...context, zoomed: true})).toBeUndefined();
	});
});

describe('a chunk of input', () => {
	it('is one key press per character, so keys typed during start-up each act', () => {
		expect(keyPresses('xxd', {}).map(press => press.name)).toEqual(['x', 'x', 'd']);
		expect(keyPresses('a b\t\r', {}).map(press => press.name)).toEqual(['a', 'space', 'b', 'tab', 'enter']);
	});

	it('leaves a single key as Ink named it', () => {
		expect(keyPresses('', {upArrow: true})).toEqual([{name: 'up', input: ''}]);
	});
});

describe('a bracketed paste', () => {
	// What Ink 6.8's useInput hands over for ESC[200~ … ESC[201~: the markers with their ESC stripped.
	it('is one paste event, whatever keys its text would otherwise be', () => {
		const read = createInputReader();
		expect(read('[200~', {})).toEqual([]);
		expect(read('first line\rd\rq second', {})).toEqual([]);
		expect(read('[201~', {})).toEqual([{kind: 'paste', text: 'first line\rd\rq second'}]);
		expect(read('q', {})).toEqual([{kind: 'key', name: 'q', input: 'q'}]);
	});

	it('ends in a later read than it began, with single keys in between taken as text', () => {
		const read = createInputReader();
		read('[200~', {});
		read('first', {});
		expect(read('\r', {return: true})).toEqual([]);
		read('', {tab: true});
		read('a', {ctrl: true});
		read('second', {});
		expect(read('[201~', {})).toEqual([{kind: 'paste', text: 'first\n\tsecond'}]);
	});

	it('ends even when its end marker is split across reads, and what follows is keys again', () => {
		const read = createInputReader();
		read('[200~', {});
		read('pasted', {});
		expect(read('[20', {})).toEqual([]);
		expect(read('1~q', {})).toEqual([
			{kind: 'paste', text: 'pasted'},
			{kind: 'key', name: 'q', input: 'q'},
		]);
	});

	it('lets Ctrl-C and Ctrl-Z through as keys when the terminal never ends it', () => {
		const read = createInputReader();
		read('[200~', {});
		read('never ended', {});
		expect(read('c', {ctrl: true})).toEqual([{kind: 'key', name: 'ctrl-c', input: 'c'}]);
		expect(read('z', {ctrl: true})).toEqual([{kind: 'key', name: 'ctrl-z', input: 'z'}]);
	});

	it('lets Ctrl-C and Ctrl-Z through when they arrive in one read with the pasted text (a busy machine joins reads)', () => {
		const read = createInputReader();
		read('[200~', {});
		expect(read('abc\x03', {})).toEqual([{kind: 'key', name: 'ctrl-c', input: '\x03'}]);
		read('[200~', {});
		expect(read('abc\x1a', {})).toEqual([{kind: 'key', name: 'ctrl-z', input: '\x1a'}]);
	});

	it('is handed over cut at 64 KB, and the rest of it is dropped', () => {
		const read = createInputReader();
		read('[200~', {});
		const [paste, ...after] = read('x'.repeat(100 * 1024), {});
		expect(paste).toMatchObject({kind: 'paste', cut: true});
		expect(paste?.kind === 'paste' && paste.text).toHaveLength(64 * 1024);
		expect(after).toEqual([]);
		expect(read('d', {})).toEqual([]);
		expect(read('[20', {})).toEqual([]);
		expect(read('1~q', {})).toEqual([{kind: 'key', name: 'q', input: 'q'}]);
	});
});

describe('the footer hints', () => {
	it("list the focused panel's own keys right after moving around, before the keys that act everywhere", () => {
		const hints = footerHints({focus: 'pods', hasIncident: true, readOnly: false, zoomed: false});
		expect(hints).toMatch(/^\? help · q quit · Tab next panel/);
		expect(hints.indexOf('u rollout undo')).toBeGreaterThan(hints.indexOf('/ filter'));
		expect(hints.indexOf('u rollout undo')).toBeLessThan(hints.indexOf('n add a note'));
	});
});
