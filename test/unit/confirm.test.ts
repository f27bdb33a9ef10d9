import {describe, expect, it} from 'vitest';
import {answerKey, type Question} from '../../source/actions/confirm';

const yesNo: Question = {confirmation: 'yes-no', name: 'production/api-gateway', typed: ''};
const typeName: Question = {confirmation: 'type-name', name: 'production/api-gateway', typed: ''};

/** Types each key into the question, as long as it stays open. */
function answer(question: Question, ...names: string[]) {
	let current: ReturnType<typeof answerKey> = {question};
	for (const name of names) {
		if (!('question' in current)) break;
		current = answerKey(current.question, name, name.length === 1 ? name : '');
	}
	return current;
}

describe('a y/N question', () => {
	it('runs on y only', () => {
		expect(answer(yesNo, 'y')).toEqual({yes: true});
	});

	it.each(['n', 'enter', 'Y', 'space', 'esc', 'q', 'up'])('is No on %s: No is the default', name => {
		expect(answer(yesNo, name)).toEqual({no: true});
	});
});

describe("a question that wants the target's name typed", () => {
	it('runs when the name typed matches exactly and Enter is pressed', () => {
		expect(answer(typeName, ...'production/api-gateway', 'enter')).toEqual({yes: true});
	});

	it('stays open with a reason when it does not match: a prefix, another case, a typo', () => {
		for (const typed of ['production/api', 'Production/api-gateway', 'production/api-gatewey']) {
			const result = answer(typeName, ...typed, 'enter');
			expect(result).toMatchObject({
				question: {typed, error: `"${typed}" is not production/api-gateway: type the name exactly, or Esc`},
			});
		}
	});

	it('is not answered by y', () => {
		expect(answer(typeName, 'y')).toEqual({question: {...typeName, typed: 'y', error: undefined}});
	});

	it('lets a typo be erased, and Esc cancels', () => {
		expect(answer(typeName, ...'production/api-gatewey', 'backspace', 'backspace', ...'ay', 'enter')).toEqual({yes: true});
		expect(answer(typeName, 'p', 'esc')).toEqual({no: true});
	});
});
