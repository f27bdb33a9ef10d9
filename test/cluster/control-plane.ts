/**
 * A real Kubernetes control plane for the cluster suite: etcd, kube-apiserver
 * 1.20 over HTTPS and kube-controller-manager (so Deployments make ReplicaSets
 * and pods), built by scripts/control-plane/build.sh into the user's cache.
 * There is no kubelet: test/cluster/kubelet-driver.ts plays the node.
 *
 *   const plane = await startControlPlane();
 *   await runCli(['snapshot', '--format', 'json', …], {env: plane.env()});
 *   await plane.stop();
 *
 * A binary that is missing or a server that does not come up fails the suite
 * with what is missing and the server's last log lines, never a skip.
 */
import {execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {request as httpsRequest} from 'node:https';
import {createServer, type AddressInfo} from 'node:net';
import {homedir, tmpdir} from 'node:os';
import {basename, join} from 'node:path';
import {execa} from 'execa';

const kubernetesVersion = '1.20.2';

/** Where scripts/control-plane/build.sh caches the binaries. */
export const cachedBinaries = join(
	process.env.XDG_CACHE_HOME || join(homedir(), '.cache'),
	'warroom',
	`control-plane-${kubernetesVersion}`,
);

/** The kubeconfig context the suite's configs name. */
export const testContext = 'cluster-test';

/** In the group system:masters: may do everything. */
const adminToken = 'cluster-suite-admin-5b2e81';
/** Bound to the built-in `view` role: reads pods and deployments, changes nothing. */
export const viewerToken = 'cluster-suite-viewer-c40d97';
/** Known to the server, granted nothing: every list is a 403. */
export const outsiderToken = 'cluster-suite-outsider-1e6b';
const controllerToken = 'cluster-suite-controller-manager-9a7f';

const startTimeoutMs = 60_000;

export type ControlPlane = {
	/** The apiserver's address, https://127.0.0.1:PORT. */
	url: string;
	/** A kubeconfig with the context `cluster-test` (or `context`), verifying the server's certificate. */
	kubeconfig(options?: {context?: string; token?: string}): string;
	/** KUBECONFIG and a home of its own for kubectl (its discovery cache). */
	env(kubeconfig?: string): Record<string, string>;
	/** The real kubectl as the admin; its stdout. */
	kubectl(args: string[]): Promise<string>;
	/** One REST call as the admin; the parsed JSON answer (a non-2xx answer throws with its message). */
	api<T = unknown>(method: string, path: string, body?: unknown, contentType?: string): Promise<T>;
	/** Stops the apiserver alone (etcd and the controllers stay up): clients find its port closed. */
	stopApiserver(): Promise<void>;
	/** Starts it again on the same port; it answers once this resolves. */
	startApiserver(): Promise<void>;
	/** How long the start took, to the controller-manager at work. */
	startMs: number;
	/** The apiserver's key and certificate (for 127.0.0.1), for a server the apiserver calls back: the driver's kubelet. */
	serving: {key: Buffer; cert: Buffer};
	/** Stops every server (their process groups) and removes the files. */
	stop(): Promise<void>;
};

type Server = {name: string; process: ChildProcess; log: string; exited: Promise<number | null>};

/** The three servers' binaries in `dir`; any missing fails with their names and the way to build them. */
function findBinaries(dir: string): {etcd: string; apiserver: string; controllerManager: string} {
	const names = ['etcd', 'kube-apiserver', 'kube-controller-manager'];
	const missing = names.filter(name => !existsSync(join(dir, name)));
	if (missing.length > 0)
		throw new Error(`${missing.join(', ')} missing from ${dir}: run scripts/control-plane/build.sh (npm run test:cluster does)`);
	const [etcd, apiserver, controllerManager] = names.map(name => join(dir, name)) as [string, string, string];
	return {etcd, apiserver, controllerManager};
}

async function freePort(): Promise<number> {
	const server = createServer();
	await new Promise<void>(listening => server.listen(0, '127.0.0.1', listening));
	const {port} = server.address() as AddressInfo;
	await new Promise(closed => server.close(closed));
	return port;
}

/** A CA, the apiserver's certificate for 127.0.0.1 signed by it, and the service-account key pair. */
function makeCertificates(dir: string): void {
	const openssl = (command: string) =>
		execFileSync('openssl', command.split(' '), {cwd: dir, stdio: ['ignore', 'ignore', 'pipe']});
	openssl('req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 -subj /CN=warroom-cluster-suite-ca');
	openssl('req -newkey rsa:2048 -nodes -keyout apiserver.key -out apiserver.csr -subj /CN=kube-apiserver');
	writeFileSync(join(dir, 'apiserver.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc\n');
	openssl(
		'x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile apiserver.ext -out apiserver.crt',
	);
	openssl('genrsa -out sa.key 2048');
	openssl('rsa -in sa.key -pubout -out sa.pub');
}

function startServer(dir: string, binary: string, args: string[]): Server {
	const name = basename(binary);
	const log = join(dir, `${name}.log`);
	const output = createWriteStream(log);
	// Its own process group, so stopping it also stops anything it started.
	const child = spawn(binary, args, {cwd: dir, detached: true, stdio: ['ignore', 'pipe', 'pipe']});
	child.stdout?.pipe(output);
	child.stderr?.pipe(output);
	const exited = new Promise<number | null>(done => child.on('exit', code => done(code)));
	return {name, process: child, log, exited};
}

function logTail(server: Server, lines = 15): string {
	const text = existsSync(server.log) ? readFileSync(server.log, 'utf8') : '';
	return text.split('\n').slice(-lines).join('\n');
}

function signalGroup(server: Server, signal: NodeJS.Signals): void {
	if (server.process.exitCode !== null || server.process.signalCode !== null || !server.process.pid) return;
	try {
		process.kill(-server.process.pid, signal);
	} catch {
		// The group is already gone.
	}
}

async function stopServer(server: Server): Promise<void> {
	signalGroup(server, 'SIGTERM');
	const killed = setTimeout(() => signalGroup(server, 'SIGKILL'), 5_000);
	await server.exited;
	clearTimeout(killed);
}

/** Retries `check` until it returns true; a server that exits meanwhile fails at once with its log. */
async function until(what: string, servers: Server[], check: () => Promise<boolean>): Promise<void> {
	const deadline = Date.now() + startTimeoutMs;
	for (;;) {
		for (const server of servers) {
			if (server.process.exitCode !== null)
				throw new Error(`${server.name} exited (${server.process.exitCode}) before ${what}:\n${logTail(server)}`);
		}
		if (await check().catch(() => false)) return;
		if (Date.now() > deadline)
			throw new Error(
				`no ${what} after ${startTimeoutMs / 1000}s:\n${servers.map(server => `${server.name}:\n${logTail(server)}`).join('\n')}`,
			);
		await new Promise(done => setTimeout(done, 200));
	}
}

function kubeconfigFile(file: string, url: string, ca: string, context: string, token: string): string {
	writeFileSync(
		file,
		JSON.stringify({
			apiVersion: 'v1',
			kind: 'Config',
			clusters: [{name: 'cluster-suite', cluster: {server: url, 'certificate-authority-data': ca}}],
			users: [{name: context, user: {token}}],
			contexts: [{name: context, context: {cluster: 'cluster-suite', user: context}}],
			'current-context': context,
		}),
	);
	return file;
}

/** Starts the servers from `binaries` (default: the build script's cache) and waits until they work. */
export async function startControlPlane({binaries = cachedBinaries}: {binaries?: string} = {}): Promise<ControlPlane> {
	const started = Date.now();
	const {etcd, apiserver, controllerManager} = findBinaries(binaries);
	const dir = mkdtempSync(join(tmpdir(), 'warroom-control-plane-'));
	const servers: Server[] = [];
	const stopAll = async () => {
		for (const server of [...servers].reverse()) await stopServer(server);
	};
	// A test run that dies without stop() must not leave servers behind.
	const killOnExit = () => servers.forEach(server => signalGroup(server, 'SIGKILL'));
	process.on('exit', killOnExit);
	try {
		makeCertificates(dir);
		const ca = readFileSync(join(dir, 'ca.crt'));
		const [etcdPort, peerPort, apiPort] = [await freePort(), await freePort(), await freePort()];
		const url = `https://127.0.0.1:${apiPort}`;
		writeFileSync(
			join(dir, 'tokens.csv'),
			[
				`${adminToken},responder,responder-uid,"system:masters"`,
				`${viewerToken},viewer,viewer-uid,"warroom:viewers"`,
				`${outsiderToken},outsider,outsider-uid`,
				`${controllerToken},system:kube-controller-manager,kcm-uid,"system:masters"`,
			].join('\n') + '\n',
		);
		const caData = ca.toString('base64');
		const controllerConfig = kubeconfigFile(join(dir, 'controller-manager.kubeconfig'), url, caData, 'kcm', controllerToken);

		servers.push(
			startServer(dir, etcd, [
				'--name=warroom',
				`--data-dir=${join(dir, 'etcd')}`,
				`--listen-client-urls=http://127.0.0.1:${etcdPort}`,
				`--advertise-client-urls=http://127.0.0.1:${etcdPort}`,
				`--listen-peer-urls=http://127.0.0.1:${peerPort}`,
				`--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
				`--initial-cluster=warroom=http://127.0.0.1:${peerPort}`,
				'--log-level=warn',
			]),
		);
		await until('etcd answering', servers, async () => (await fetch(`http://127.0.0.1:${etcdPort}/health`)).ok);

		const apiserverArgs = [
			`--etcd-servers=http://127.0.0.1:${etcdPort}`,
			'--bind-address=127.0.0.1',
			'--advertise-address=127.0.0.1',
			`--secure-port=${apiPort}`,
			'--tls-cert-file=apiserver.crt',
			'--tls-private-key-file=apiserver.key',
			'--token-auth-file=tokens.csv',
			'--authorization-mode=RBAC',
			'--service-account-issuer=https://kubernetes.default.svc',
			'--service-account-key-file=sa.pub',
			'--service-account-signing-key-file=sa.key',
			'--service-cluster-ip-range=10.96.0.0/24',
			// Without a token controller a pod waits for its service account's token forever.
			'--disable-admission-plugins=ServiceAccount',
			`--cert-dir=${dir}`,
		];
		const api = client(url, ca, adminToken);
		// Second of the servers, after etcd and before the controllers: stopAll stops them in reverse.
		const startApiserver = async () => {
			servers.splice(1, 0, startServer(dir, apiserver, apiserverArgs));
			await until('apiserver ready (/readyz)', servers, async () => (await api('GET', '/readyz')) === 'ok');
		};
		await startApiserver();

		servers.push(
			startServer(dir, controllerManager, [
				`--kubeconfig=${controllerConfig}`,
				'--leader-elect=false',
				// No kubelet renews the node's heartbeat: the lifecycle controller would mark every pod not ready.
				'--controllers=*,-nodelifecycle',
				'--secure-port=0',
				'--port=0',
			]),
		);
		// The service-account controller gives every namespace its `default`: the controllers are at work.
		await until('controller-manager at work', servers, async () => {
			await api('GET', '/api/v1/namespaces/default/serviceaccounts/default');
			return true;
		});
		await api('POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
			metadata: {name: 'warroom-viewers'},
			roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view'},
			subjects: [{apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'warroom:viewers'}],
		});

		let configs = 0;
		const home = join(dir, 'home');
		const plane: ControlPlane = {
			url,
			startMs: Date.now() - started,
			serving: {key: readFileSync(join(dir, 'apiserver.key')), cert: readFileSync(join(dir, 'apiserver.crt'))},
			kubeconfig({context = testContext, token = adminToken} = {}) {
				return kubeconfigFile(join(dir, `kubeconfig-${++configs}`), url, caData, context, token);
			},
			env(kubeconfig) {
				return {HOME: home, KUBECACHEDIR: join(home, '.kube/cache'), KUBECONFIG: kubeconfig ?? adminConfig};
			},
			async kubectl(args) {
				const {stdout} = await execa('kubectl', args, {env: plane.env(), stdin: 'ignore'});
				return stdout;
			},
			api: async (method, path, body, contentType) => JSON.parse(await api(method, path, body, contentType)),
			async stopApiserver() {
				const [stopped] = servers.splice(1, 1);
				if (stopped) await stopServer(stopped);
			},
			startApiserver,
			async stop() {
				process.off('exit', killOnExit);
				await stopAll();
				rmSync(dir, {recursive: true, force: true});
			},
		};
		const adminConfig = plane.kubeconfig();
		return plane;
	} catch (error) {
		await stopAll();
		process.off('exit', killOnExit);
		rmSync(dir, {recursive: true, force: true});
		throw error;
	}
}

/** REST over HTTPS with the suite's CA and a bearer token; the body of a 2xx answer. */
function client(url: string, ca: Buffer, token: string) {
	return (method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<string> =>
		new Promise((resolve, reject) => {
			const payload = body === undefined ? undefined : JSON.stringify(body);
			const call = httpsRequest(
				new URL(path, url),
				{
					method,
					ca,
					headers: {
						authorization: `Bearer ${token}`,
						accept: 'application/json',
						...(payload === undefined ? {} : {'content-type': contentType, 'content-length': Buffer.byteLength(payload)}),
					},
					timeout: 10_000,
				},
				response => {
					let text = '';
					response.setEncoding('utf8');
					response.on('data', chunk => (text += chunk));
					response.on('end', () => {
						const code = response.statusCode ?? 0;
						if (code >= 200 && code < 300) resolve(text);
						else reject(new Error(`${method} ${path}: ${code} ${text.slice(0, 500)}`));
					});
				},
			);
			call.on('timeout', () => call.destroy(new Error(`${method} ${path}: no answer in 10s`)));
			call.on('error', reject);
			call.end(payload);
		});
}
