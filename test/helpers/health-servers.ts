/**
 * The outside world of the health checks' tests, on 127.0.0.1: an HTTP
 * server that answers 200, 500 (with escape sequences in its body), slowly,
 * never, with a redirect, echoing the credential it was sent, handing out a
 * session cookie; HTTPS servers
 * with the certificates test/helpers/certificates.ts makes; and a TCP port
 * that is closed.
 */
import {createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import {createServer as createHttpsServer} from 'node:https';
import {createServer as createTcpServer, type AddressInfo} from 'node:net';
import {TestCertificates, type KeyPair} from './certificates';

/** Escape sequences, a bidi override and a zero-width space: what a hostile body may hold. */
export const hostileText = '\u001B[2J\u001B]0;owned\u0007\u202Edatabase down\u200B';

/** The session /session hands out in its Set-Cookie. */
export const sessionToken = 'c'.repeat(200);

const dayMs = 86_400_000;

type Route = (request: IncomingMessage, response: ServerResponse) => void;

/** A status that /flip answers, which a test changes, and how many requests it has had. */
export const flip = {status: 200, requests: 0};

/** How many requests to /slow are being answered now, and the most at once. */
export const slowLoad = {now: 0, most: 0};

const routes: Record<string, Route> = {
	'/ok': (_, response) => response.end('all good'),
	'/fail': (_, response) => {
		response.writeHead(500, {'content-type': 'text/plain'});
		response.end(`upstream error ${hostileText}`);
	},
	'/slow': (_, response) => {
		slowLoad.now += 1;
		slowLoad.most = Math.max(slowLoad.most, slowLoad.now);
		setTimeout(() => {
			slowLoad.now -= 1;
			response.end('late but fine');
		}, 300);
	},
	'/hang': () => undefined,
	'/redirect': (_, response) => {
		response.writeHead(302, {location: '/ok'});
		response.end();
	},
	// A server that repeats the credential it was sent: in its body, a header and a 401.
	'/echo': (request, response) => {
		response.writeHead(401, {'x-seen': request.headers.authorization ?? ''});
		response.end(`rejected ${request.headers.authorization ?? ''}`);
	},
	// A login that hands out a session: the cookie is as good as a password.
	'/session': (_, response) => {
		response.writeHead(200, {'set-cookie': `session=${sessionToken}; HttpOnly`, 'x-request-id': 'req-42'});
		response.end('welcome');
	},
	// 100 KB: a needle half-way, the text a check looks for, and one past what a check reads.
	'/big': (_, response) => response.end(`${'x'.repeat(50_000)} needle ${'x'.repeat(50_000)} haystack`),
	// Failing, it repeats the credential it was sent, as a careless server does.
	'/flip': (request, response) => {
		flip.requests += 1;
		response.statusCode = flip.status;
		response.end(flip.status === 200 ? 'status 200' : `rejected ${request.headers.authorization ?? ''} ${hostileText}`);
	},
};

const answer: Route = (request, response) => (routes[request.url ?? ''] ?? routes['/ok']!)(request, response);

const listen = (server: Server | ReturnType<typeof createTcpServer>) =>
	new Promise<number>(resolve => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

export type HealthWorld = {
	http: string;
	https: {valid: number; soon: number; expired: number; wrongName: number; selfSigned: number; hostileSubject: number};
	openPort: number;
	closedPort: number;
	caFile: string;
	close(): Promise<void>;
};

export async function startHealthWorld(now = Date.now()): Promise<HealthWorld> {
	const certificates = new TestCertificates();
	const servers: Array<Server | ReturnType<typeof createTcpServer>> = [];
	const serve = async (pair: KeyPair) => {
		const server = createHttpsServer(pair, answer);
		servers.push(server);
		return listen(server);
	};
	const http = createHttpServer(answer);
	servers.push(http);
	const httpPort = await listen(http);
	const names = ['localhost'];
	const https = {
		valid: await serve(certificates.signed({names, notBefore: now - dayMs, notAfter: now + 90 * dayMs + 3_600_000})),
		soon: await serve(certificates.signed({names, notBefore: now - dayMs, notAfter: now + 3 * dayMs + 3_600_000})),
		expired: await serve(certificates.signed({names, notBefore: now - 60 * dayMs, notAfter: now - 2 * dayMs - 3_600_000})),
		wrongName: await serve(certificates.signed({names: ['other.example'], notBefore: now - dayMs, notAfter: now + 90 * dayMs})),
		selfSigned: await serve(certificates.selfSigned(names)),
		hostileSubject: await serve(
			certificates.signed({
				names,
				subject: `/O=Evil${hostileText}/CN=localhost`,
				notBefore: now - dayMs,
				notAfter: now + 90 * dayMs,
			}),
		),
	};
	const open = createTcpServer(socket => socket.end());
	servers.push(open);
	const openPort = await listen(open);
	const closing = createTcpServer();
	const closedPort = await listen(closing);
	await new Promise(resolve => closing.close(resolve));
	return {
		http: `http://127.0.0.1:${httpPort}`,
		https,
		openPort,
		closedPort,
		caFile: certificates.caFile,
		async close() {
			for (const server of servers) {
				if ('closeAllConnections' in server) server.closeAllConnections();
				await new Promise(resolve => server.close(resolve));
			}
			certificates.remove();
		},
	};
}
