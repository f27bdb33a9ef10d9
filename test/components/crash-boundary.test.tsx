import {Text} from 'ink';
import {render} from 'ink-testing-library';
import {expect, it, vi} from 'vitest';
import {CrashBoundary} from '../../panels/CrashBoundary';

function Broken(): never {
	throw new RangeError('Invalid time value');
}

it("hands an error thrown while drawing to the way out, instead of Ink's error overview", () => {
	const onCrash = vi.fn();
	const view = render(
		<CrashBoundary onCrash={onCrash}>
			<Text>header</Text>
			<Broken />
		</CrashBoundary>,
	);
	expect(onCrash).toHaveBeenCalledTimes(1);
	expect(onCrash.mock.calls[0]![0]).toBeInstanceOf(RangeError);
	expect(view.lastFrame()).toBe('');
});

it('draws its children while nothing throws', () => {
	const onCrash = vi.fn();
	const view = render(
		<CrashBoundary onCrash={onCrash}>
			<Text>header</Text>
		</CrashBoundary>,
	);
	expect(view.lastFrame()).toBe('header');
	expect(onCrash).not.toHaveBeenCalled();
});
