/**
 * The drill plays out on screen as the runbook tells it: healthy, then the
 * gateway crash-loops and its health check fails, then a migration's lock
 * chain builds in the database. The built-in drill takes 8 s and 20 s to get
 * there; this plays the same scenes quickened to 2 s and 3 s.
 */
import {afterEach, expect, it} from 'vitest';
import {cleanup} from '../helpers/pty';
import {expectFrameInPlace, openConsole, quickDrillArgs} from './steps';

afterEach(cleanup);

it('shows the gateway crash-looping, its health check failing, then the lock chain', {timeout: 20_000}, async () => {
	const app = await openConsole({args: quickDrillArgs()});
	let screen = await app.waitFor('every pod is Running and Ready');
	expect(screen.join('\n')).toMatch(/1 Pods 0 not ready · 24 ok/);
	expect(screen.join('\n')).toMatch(/api +ok/);
	expect(screen.join('\n')).toContain('no locks waited on, no long-running queries');

	screen = await app.waitFor(/CrashLoopBackOff[\s\S]*api +FAIL|api +FAIL[\s\S]*CrashLoopBackOff/, {timeout: 6000});
	const text = screen.join('\n');
	expect(text).toMatch(/1 Pods 3 not ready · 21 ok/);
	expect(text).toMatch(/api-gatew\S* +CrashLoopBackOff +\d+/);
	expect(text).toMatch(/3 Health 2 FAIL/);
	expect(text).toMatch(/api +FAIL/);
	expect(text).toMatch(/critical-checks +FAIL/);
	expect(text).toMatch(/api-cert +ok/);
	expectFrameInPlace(app, /no incident declared/);

	screen = await app.waitFor(/4242 +ROOT blocks 3/, {timeout: 6000});
	expect(screen.join('\n')).toMatch(/└ 5117 +waits \d+s .*UPDATE orders SET status/);
	// The root blocker's user, state and query (known once its transaction counts as long-running).
	screen = await app.waitFor(/4242 +ROOT blocks 3 +migrator +idle in t\S* +ALTER TABLE orders/, {timeout: 5000});
	expect(screen.join('\n')).toMatch(/connections 147\/200 74%/);
	expect(screen.join('\n')).toMatch(/schema-mi\S* +Running/);
	expectFrameInPlace(app, /no incident declared/);
});
