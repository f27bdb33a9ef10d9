import {afterEach, expect, it} from 'vitest';
import {cleanup, startConsole} from '../helpers/pty';

afterEach(cleanup);

it('smoke', async () => {
	const app = startConsole({args: ['--drill', 'api-gateway-outage']});
	await app.waitFor('no incident declared');
	console.log(app.dump());
	expect(app.isAlternateScreen()).toBe(true);
	expect(app.isCursorHidden()).toBe(true);
	app.press('q');
	const exit = await app.exited;
	console.log(exit, app.isAlternateScreen(), app.isCursorHidden(), JSON.stringify(app.output.slice(-200)));
});
