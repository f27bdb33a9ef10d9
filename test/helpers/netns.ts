/**
 * Test hosts on a real network of their own: one network namespace per host
 * (`ip netns`), a bridge in the hub host's namespace as the switch, and each
 * other host plugged into it by a veth pair, all on a private /24. Cutting a
 * host's link (`ip link set down` on its switch port) is a real network cut:
 * its packets vanish, no RST and no ICMP, so only timeouts and keepalives
 * notice. Nothing is touched outside the namespaces, so test files running
 * at once never clash: each gets namespaces of unique names, removed after
 * its last test and when the process exits (or, if it was killed, when the
 * next network is made). A network that cannot be made
 * (not root, no `ip`) fails the suite with the command's own words.
 *
 *   const net = networkForThisFile({hub: 'server', hosts: ['hostA', 'hostB']});
 *   startConsole({launcher: net.launcher('hostA'), ...});
 *   net.cut('hostA');
 */
import {execFileSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {afterAll, beforeAll} from 'vitest';
import {isAlive} from './processes';

export type TestNetwork = {
	/** The namespace `host` runs in. */
	namespace(host: string): string;
	/** `host`'s address on the network (10.77.0.x). */
	address(host: string): string;
	/** The command that runs what follows it on `host`: `ip netns exec <namespace>`. */
	launcher(host: string): string[];
	/** Cuts `host` off the switch: its port goes down, every packet to or from it is dropped. */
	cut(host: string): void;
	/** Plugs `host` back in. */
	restore(host: string): void;
	/** Removes every namespace (and with them the bridge and the veths). */
	remove(): void;
};

const subnet = '10.77.0';
const bridge = 'switch0';
/** Interface names are at most 15 bytes: a host's port on the switch is numbered, not named. */
const portOf = (index: number) => `port${index}`;

/** Runs `ip …`, giving its output; a failure throws with the command and what it said on stderr. */
function ip(args: string[]): string {
	try {
		return execFileSync('ip', args, {encoding: 'utf8', stdio: 'pipe', timeout: 10_000});
	} catch (error) {
		const {stderr, message} = error as {stderr?: Buffer; message: string};
		throw new Error(
			`test network: ip ${args.join(' ')} failed: ${String(stderr ?? '').trim() || message} (network namespaces need root and iproute2, as .ci/run installs)`,
			{cause: error},
		);
	}
}

/** Namespaces a killed test process (SIGKILL: no exit handler ran) left: named after a pid that is gone. */
function removeLeftovers(): void {
	for (const line of ip(['netns', 'list']).split('\n')) {
		const match = /^(warroom-(\d+)-\S+)/.exec(line);
		if (match && !isAlive(Number(match[2]))) ip(['netns', 'delete', match[1]!]);
	}
}

/** Makes the network: `hub` holds the switch at 10.77.0.1, `hosts` get .2, .3, … in order. */
export function createNetwork({hub, hosts}: {hub: string; hosts: readonly string[]}): TestNetwork {
	// The pid tells whose namespaces are left behind if cleanup itself fails; the random part keeps two files' apart.
	const prefix = `warroom-${process.pid}-${randomBytes(3).toString('hex')}`;
	// A host's place here is its address's last number: the hub .1, the hosts .2, .3, …
	const all = [hub, ...hosts];
	const namespace = (host: string) => {
		if (!all.includes(host)) throw new Error(`test network: no host ${host} (hosts: ${all.join(', ')})`);
		return `${prefix}-${host}`;
	};
	const address = (host: string) => `${subnet}.${all.indexOf(host) + 1}`;
	const created: string[] = [];
	const remove = () => {
		for (const name of created.splice(0)) {
			try {
				execFileSync('ip', ['netns', 'delete', name], {stdio: 'pipe'});
			} catch {
				// Gone already.
			}
		}
	};
	// A test process that dies leaves no namespace behind; one killed outright is cleaned up after by the next.
	process.once('exit', remove);
	try {
		removeLeftovers();
		for (const host of all) {
			ip(['netns', 'add', namespace(host)]);
			created.push(namespace(host));
			ip(['-n', namespace(host), 'link', 'set', 'lo', 'up']);
		}
		const hubNs = namespace(hub);
		ip(['-n', hubNs, 'link', 'add', bridge, 'type', 'bridge']);
		ip(['-n', hubNs, 'address', 'add', `${address(hub)}/24`, 'dev', bridge]);
		ip(['-n', hubNs, 'link', 'set', bridge, 'up']);
		hosts.forEach((host, index) => {
			const ns = namespace(host);
			// Made in the host's namespace with its peer in the hub's: nothing appears in the machine's own.
			ip(['-n', ns, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', portOf(index), 'netns', hubNs]);
			ip(['-n', ns, 'address', 'add', `${address(host)}/24`, 'dev', 'eth0']);
			ip(['-n', ns, 'link', 'set', 'eth0', 'up']);
			ip(['-n', hubNs, 'link', 'set', portOf(index), 'master', bridge]);
			ip(['-n', hubNs, 'link', 'set', portOf(index), 'up']);
		});
	} catch (error) {
		remove();
		process.removeListener('exit', remove);
		throw error;
	}
	const port = (host: string) => {
		const index = hosts.indexOf(host);
		if (index < 0) throw new Error(`test network: ${host} is the hub or unknown: only ${hosts.join(', ')} can be cut`);
		return portOf(index);
	};
	return {
		namespace,
		address: host => {
			namespace(host);
			return address(host);
		},
		launcher: host => ['ip', 'netns', 'exec', namespace(host)],
		cut(host) {
			ip(['-n', namespace(hub), 'link', 'set', port(host), 'down']);
		},
		restore(host) {
			ip(['-n', namespace(hub), 'link', 'set', port(host), 'up']);
		},
		remove() {
			remove();
			process.removeListener('exit', remove);
		},
	};
}

/** The network for the test file that calls this: made before its first test, removed after its last. */
export function networkForThisFile(layout: {hub: string; hosts: readonly string[]}): TestNetwork {
	let network: TestNetwork | undefined;
	beforeAll(() => {
		network = createNetwork(layout);
	});
	afterAll(() => network?.remove());
	const made = () => {
		if (!network) throw new Error('the test network is made in beforeAll: use it inside a test or a later beforeAll');
		return network;
	};
	return new Proxy({} as TestNetwork, {get: (_target, name) => made()[name as keyof TestNetwork]});
}
