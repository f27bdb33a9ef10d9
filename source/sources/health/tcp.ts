/** A `tcp` check: the port accepts a connection within the timeout (the `pg_isready` case). */
import {connect} from 'node:net';
import type {TcpCheck} from '../../config/types';
import {plainFailure} from '../../errors';
import {elapsedMs, type CheckOutcome} from './outcome';

/** What a failed connection means, in a responder's words. */
export function connectFailure(error: unknown): string {
	switch ((error as NodeJS.ErrnoException).code) {
		case 'ECONNREFUSED':
			return 'connection refused';
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
			return 'name does not resolve';
		case 'EHOSTUNREACH':
		case 'ENETUNREACH':
			return 'host unreachable';
		case 'ECONNRESET':
			return 'connection reset';
		default:
			return plainFailure(error);
	}
}

export function tcpCheck(check: TcpCheck, signal: AbortSignal): Promise<CheckOutcome> {
	const {host, port} = check.target;
	const address = `${host}:${port}`;
	const started = performance.now();
	return new Promise(resolve => {
		const socket = connect({host, port, signal});
		socket.once('connect', () => {
			const latencyMs = elapsedMs(started);
			socket.destroy();
			resolve({ok: true, status: 'open', latencyMs, detail: `${address} accepted a connection in ${latencyMs}ms`});
		});
		socket.once('error', error => {
			const reason = connectFailure(error);
			resolve({ok: false, error: reason, detail: `${address}: ${reason}`});
		});
	});
}
