/**
 * How much an action asks before it runs, in proportion to its risk, and what
 * a key does to the question. Pure; the Confirm overlay only draws this.
 *
 * - `read` changes nothing and `safe` writes only the incident journal: no question.
 * - `mutating` changes a system: y/N, and every key but `y` is No.
 * - `destructive` is hard to undo: the target's name, typed exactly, then Enter.
 */
import {typedText} from './input';

export const risks = ['read', 'safe', 'mutating', 'destructive'] as const;
export type Risk = (typeof risks)[number];

export type Confirmation = 'none' | 'yes-no' | 'type-name';

export const confirmationFor = (risk: Risk): Confirmation =>
	risk === 'destructive' ? 'type-name' : risk === 'mutating' ? 'yes-no' : 'none';

/** A question on screen: what must be typed (for `type-name`) and what has been. */
export type Question = {confirmation: Exclude<Confirmation, 'none'>; name: string; typed: string; error?: string};

export type Answer = {question: Question} | {yes: true} | {no: true};

const nameMaxLength = 253;

/** What one key does to the question. */
export function answerKey(question: Question, name: string, input: string): Answer {
	if (question.confirmation === 'yes-no') return name === 'y' ? {yes: true} : {no: true};
	if (name === 'esc') return {no: true};
	if (name === 'enter') {
		return question.typed === question.name
			? {yes: true}
			: {question: {...question, error: `"${question.typed}" is not ${question.name}: type the name exactly, or Esc`}};
	}
	if (name === 'backspace') return {question: {...question, typed: question.typed.slice(0, -1), error: undefined}};
	const typed = typedText(name, input);
	return typed === ''
		? {question}
		: {question: {...question, typed: (question.typed + typed).slice(0, nameMaxLength), error: undefined}};
}
