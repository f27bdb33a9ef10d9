import {afterEach, expect, it} from 'vitest';
import {cleanup, keys, runCli, sleep, startConsole} from '../helpers/pty';

afterEach(cleanup);

it('explore declare', async () => {
	const app = startConsole({args: ['--drill', 'api-gateway-outage']});
	await app.waitFor('no incident declared');
	app.press('d');
	await app.waitFor('Declare an incident');
	app.press(keys.right); await sleep(60);
	console.log(app.dump());
	console.log(JSON.stringify(app.output.slice(-400)));
	app.press(keys.left); await sleep(60);
	app.press(keys.tab); await sleep(60);
	await app.type('API gateway outage');
	app.press(keys.tab); await sleep(60);
	await app.type('api-gateway, auth');
	app.press(keys.enter);
	await app.waitFor('INC-1 declared');
	console.log(app.dump());
	app.press('4'); await sleep(60); app.press(keys.enter);
	await sleep(300);
	console.log(app.dump());
	app.press(keys.esc);
	await sleep(300);
	app.resize(120, 30);
	await sleep(500);
	console.log(app.dump());
});

it('explore non-drill', async () => {
	const dir = (await import('../helpers/pty')).makeTempDir();
	const r = await runCli(['declare', '--severity', 'P0', '--title', 'DB down', '--data-dir', dir]);
	console.log(r);
	const app = startConsole({dataDir: dir});
	await app.waitFor('INC-1');
	await sleep(500);
	console.log(app.dump());
	const s = await runCli(['snapshot', '--format', 'json', '--data-dir', dir]);
	console.log(s.code, s.stdout.slice(0, 1500), s.stderr);
});

it('explore read-only + no color', async () => {
	const app = startConsole({args: ['--drill', 'api-gateway-outage', '--read-only'], env: {NO_COLOR: '1'}});
	await app.waitFor('no incident declared');
	app.press('d'); await sleep(200);
	console.log(app.dump());
	app.press('?'); await sleep(200);
	console.log(app.dump());
	await app.waitFor('FAIL', {timeout: 12000});
	console.log(JSON.stringify(app.output.match(/\x1b\[[0-9;]*m/g)?.filter((v, i, a) => a.indexOf(v) === i)));
}, 30000);
