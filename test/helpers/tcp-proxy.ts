/**
 * A TCP proxy on 127.0.0.1 in front of a server, for a test that cuts one
 * client's link while the others keep theirs: `cut()` drops every connection
 * through it and refuses new ones (as a dropped network does to the client),
 * `restore()` accepts them again, on the same port.
 */
import {createServer, connect, type Server, type Socket} from 'node:net';

export type TcpProxy = {
	port: number;
	/** Drops every connection through the proxy and refuses new ones; resolves once the port is closed. */
	cut(): Promise<void>;
	/** Listens again on the same port. */
	restore(): Promise<void>;
	close(): Promise<void>;
};

export async function startTcpProxy(target: {host: string; port: number}): Promise<TcpProxy> {
	const sockets = new Set<Socket>();
	const track = (socket: Socket) => {
		sockets.add(socket);
		socket.once('close', () => sockets.delete(socket));
		// A peer gone is the point of a cut: no error of it reaches the test.
		socket.on('error', () => undefined);
	};
	const forward = (client: Socket) => {
		const upstream = connect(target.port, target.host);
		track(client);
		track(upstream);
		client.pipe(upstream);
		upstream.pipe(client);
		client.once('close', () => upstream.destroy());
		upstream.once('close', () => client.destroy());
	};
	let server: Server | undefined;
	let port = 0;
	const listen = () =>
		new Promise<void>((resolve, reject) => {
			const listening = createServer(forward);
			listening.once('error', reject);
			listening.listen(port, '127.0.0.1', () => {
				port = (listening.address() as {port: number}).port;
				server = listening;
				resolve();
			});
		});
	const cut = () =>
		new Promise<void>(resolve => {
			const listening = server;
			server = undefined;
			// Closed first, so nothing is accepted between the drop and the close.
			listening?.close(() => resolve());
			for (const socket of sockets) socket.destroy();
			if (!listening) resolve();
		});
	await listen();
	return {
		get port() {
			return port;
		},
		cut,
		restore: listen,
		close: cut,
	};
}
