/**
 * The selection holds its row, not a place in the list: a reading that
 * lists the pods in another order keeps the same pod selected, and when the
 * selected pod is gone the selection moves to its neighbour and says so.
 * Played on a test drill (test/fixtures/runbooks/drills/reordered-pods.yaml)
 * whose pods reshuffle 4 s in and lose the selected one 8 s in.
 */
import {afterEach, expect, it} from 'vitest';
import {cleanup, type ConsoleSession} from '../helpers/pty';
import {openConsole, quickDrillArgs} from './steps';

afterEach(cleanup);

/** The rows of the screen drawn in inverse video: the selected row, and the header's badges. */
const marked = (app: ConsoleSession) => app.inverseText().join('\n');

it(
	'keeps the selected pod through a reading that reorders the pods, then moves to its neighbour with a notice when it is gone',
	{timeout: 30_000},
	async () => {
		const app = await openConsole({args: quickDrillArgs('reordered-pods'), cols: 140, rows: 30});
		await app.waitFor(/x2k4j[\s\S]*m8q2z[\s\S]*p5w7r/);
		expect(marked(app)).toContain('api-gateway-x2k4j');
		app.press('j');
		await app.waitFor(() => marked(app).includes('api-gateway-m8q2z'));

		// The next reading: a new pod on top, the others in reverse order; m8q2z is now the third row, not the second.
		await app.waitFor(/q9z1t[\s\S]*p5w7r[\s\S]*m8q2z[\s\S]*x2k4j/, {timeout: 8000});
		expect(marked(app), app.dump()).toContain('api-gateway-m8q2z');
		expect(marked(app)).not.toContain('p5w7r');

		await app.waitFor('the selected pod production/api-gateway-m8q2z is gone: selection moved to production/api-gateway-x2k4j', {
			timeout: 8000,
		});
		// Only the notice names it now: the pod's row is gone, and the one that took its place is selected.
		expect(app.rowsContaining('m8q2z'), app.dump()).toEqual([app.rows - 1]);
		expect(marked(app), app.dump()).toContain('api-gateway-x2k4j');
	},
);
