import {describe, expect, it} from 'vitest';
import {plainFailure} from '../../source/errors';

const failure = (code: string, message: string) => Object.assign(new Error(message), {code});

describe('a failed system call in words', () => {
	it('says a full disk in the words of where it happened', () => {
		const full = failure('ENOSPC', 'ENOSPC: no space left on device, write');
		expect(plainFailure(full, {onDisk: true})).toBe('disk full (ENOSPC)');
		expect(plainFailure(full)).toBe('no space left on device (ENOSPC)');
	});

	it('keeps Node’s words for a code it has none for, without the call and the path', () => {
		expect(plainFailure(failure('EXDEV', "EXDEV: cross-device link not permitted, rename 'a' -> 'b'"))).toBe(
			'cross-device link not permitted (EXDEV)',
		);
		expect(plainFailure(new Error('nothing could be written'))).toBe('nothing could be written');
	});
});
