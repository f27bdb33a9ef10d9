/**
 * The test network (test/helpers/netns.ts) is what the network tests say it
 * is: hosts reach each other, a cut link drops packets without a reset, a
 * restored one carries them again, and a network that cannot be made fails
 * in the command's own words, leaving nothing behind.
 */
import {execFile, execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {createNetwork, networkForThisFile} from '../helpers/netns';

const network = networkForThisFile({hub: 'server', hosts: ['hostA', 'hostB']});
const port = 7400;
let greeter: ChildProcess;

/** A TCP server on the hub that says hello; resolves once it listens. */
beforeAll(async () => {
	const script = `require('net').createServer(s => s.end('hello')).listen(${port}, process.argv[1], () => console.log('listening'))`;
	greeter = spawn(...launch('server', ['-e', script, network.address('server')]), {stdio: ['ignore', 'pipe', 'inherit']});
	await new Promise<void>((resolve, reject) => {
		greeter.stdout!.once('data', () => resolve());
		greeter.once('exit', code => reject(new Error(`the greeter exited (${code}) before listening`)));
	});
});

afterAll(() => {
	greeter?.kill();
});

/** Node on `host`, as [file, args] for spawn/execFile. */
function launch(host: string, args: string[]): [string, string[]] {
	const [file, ...rest] = [...network.launcher(host), process.execPath, ...args] as [string, ...string[]];
	return [file, rest];
}

/** What `host` gets connecting to the greeter within a second: `hello`, an error code, or `timeout`. */
function knock(host: string): Promise<string> {
	const script = `const s = require('net').connect(${port}, process.argv[1]);
		let got = '';
		s.on('data', d => (got += d)).on('end', () => { console.log(got); process.exit(0); });
		s.on('error', e => { console.log(e.code); process.exit(0); });
		setTimeout(() => { console.log('timeout'); process.exit(0); }, 1000);`;
	return new Promise((resolve, reject) =>
		execFile(...launch(host, ['-e', script, network.address('server')]), (error, stdout) =>
			error ? reject(error) : resolve(stdout.trim()),
		),
	);
}

it('hosts reach the hub; a cut host gets no answer at all, not a refusal, until its link is restored', async () => {
	expect(await knock('hostA')).toBe('hello');
	expect(await knock('hostB')).toBe('hello');
	network.cut('hostA');
	try {
		expect(await knock('hostA')).toBe('timeout');
		expect(await knock('hostB')).toBe('hello');
	} finally {
		network.restore('hostA');
	}
	expect(await knock('hostA')).toBe('hello');
});

it('a network that cannot be made fails in the words of the command that failed, and leaves no namespace behind', () => {
	const before = execFileSync('ip', ['netns', 'list'], {encoding: 'utf8'});
	expect(() => createNetwork({hub: 'server', hosts: ['no/such']})).toThrow(
		/^test network: ip netns add warroom-\d+-\w+-no\/such failed: .+/,
	);
	expect(execFileSync('ip', ['netns', 'list'], {encoding: 'utf8'})).toBe(before);
});
