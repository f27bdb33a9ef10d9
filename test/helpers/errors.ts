/** The one line a user would read for bad input, from code that must throw it. */
import {expect} from 'vitest';
import {InputError} from '../../source/errors';

/** The message `run` throws, checked to be an `ErrorType` (an InputError by default). */
export function messageThrown(run: () => unknown, ErrorType: new (...args: never[]) => Error = InputError): string {
	try {
		run();
	} catch (error) {
		expect(error).toBeInstanceOf(ErrorType);
		return (error as Error).message;
	}
	throw new Error(`expected a ${ErrorType.name}`);
}
