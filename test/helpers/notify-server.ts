/**
 * A PagerDuty and webhook endpoint on 127.0.0.1 for the notification tests:
 * it answers each post as its script says (a status, or `hold`: no answer
 * until released or the client goes away) and counts as delivered only the
 * posts it accepted with a 2xx, as a real endpoint would.
 */
import http from 'node:http';
import type {AddressInfo} from 'node:net';

export type Reply = number | 'hold';

export type Received = {path: string; body: Record<string, unknown>; headers: http.IncomingHttpHeaders; reply: Reply};

export type NotifyServer = {
	url: (path: string) => string;
	/** Every post, in order, with what it was answered. */
	received: Received[];
	/** The posts accepted with a 2xx. */
	delivered: () => Received[];
	/** Answers the held posts with 202. */
	release: () => void;
	close: () => Promise<void>;
};

/** `script(path, n)` answers the n-th post (from 1) to `path`; 202 past the script's end. */
export async function startNotifyServer(script: (path: string, n: number) => Reply): Promise<NotifyServer> {
	const received: Received[] = [];
	const held: Array<() => void> = [];
	const counts = new Map<string, number>();
	const server = http.createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const path = request.url ?? '/';
			const n = (counts.get(path) ?? 0) + 1;
			counts.set(path, n);
			const reply = script(path, n);
			const entry: Received = {
				path,
				body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
				headers: request.headers,
				reply,
			};
			received.push(entry);
			if (reply !== 'hold') {
				response.writeHead(reply, {'content-type': 'application/json'}).end('{"status":"ok"}');
				return;
			}
			held.push(() => {
				if (response.destroyed) return;
				entry.reply = 202;
				response.writeHead(202).end('{}');
			});
		});
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as AddressInfo;
	return {
		url: path => `http://127.0.0.1:${port}${path}`,
		received,
		delivered: () => received.filter(({reply}) => typeof reply === 'number' && reply >= 200 && reply < 300),
		release: () => held.splice(0).forEach(answer => answer()),
		close: () =>
			new Promise(resolve => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
