/**
 * An `http` check: the URL answers with an expected status (any 2xx unless
 * the config lists some), and its body holds `bodyContains` when given. A
 * failing answer shows its first bytes; the detail view shows the status
 * line, the headers and the start of the body; a header that carries a
 * credential (Set-Cookie, a token) shows masked, since the detail may be
 * kept in the journal as evidence.
 */
import {STATUS_CODES} from 'node:http';
import {sensitiveHeader} from '../../config/credentials';
import type {HttpCheck} from '../../config/types';
import {messageOf} from '../../errors';
import {elapsedMs, type CheckOutcome} from './outcome';
import {connectFailure} from './tcp';

/** The most of a body read: enough for `bodyContains`, bounded whatever the server sends. */
export const bodyReadLimit = 64 * 1024;
/** The start of the body the detail view shows. */
const bodyShown = 2048;

/** Whether a status is what the check expects: one it lists, else any 2xx. */
export const expectedStatus = (check: Pick<HttpCheck, 'expectStatus'>, status: number) =>
	check.expectStatus.length === 0 ? status >= 200 && status < 300 : check.expectStatus.includes(status);

/** At most `limit` bytes of the body, as text; the rest is never read. */
async function bodyStart(response: Response, limit: number): Promise<string> {
	if (!response.body) return '';
	const reader = response.body.getReader();
	const chunks: Uint8Array[] = [];
	let length = 0;
	while (length < limit) {
		const {done, value} = await reader.read();
		if (done) break;
		chunks.push(value);
		length += value.length;
	}
	await reader.cancel().catch(() => undefined);
	return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}

/** Why the request got no answer: the connection's failure in words, or fetch's own. */
function requestFailure(error: unknown): string {
	const cause = (error as {cause?: unknown}).cause;
	if (cause === undefined) return messageOf(error);
	const code = (cause as NodeJS.ErrnoException).code;
	return code !== undefined && /^E[A-Z]+$/.test(code) ? connectFailure(cause) : messageOf(cause);
}

export async function httpCheck(check: HttpCheck, signal: AbortSignal): Promise<CheckOutcome> {
	const request = `${check.method} ${check.target.url}`;
	const started = performance.now();
	let response: Response;
	try {
		response = await fetch(check.target.url, {
			method: check.method,
			headers: check.headers,
			redirect: check.followRedirects ? 'follow' : 'manual',
			signal,
		});
	} catch (error) {
		// An abort is the timeout's: the caller says so.
		signal.throwIfAborted();
		const reason = requestFailure(error);
		return {ok: false, error: reason, detail: `${request}\n${reason}`};
	}
	const latencyMs = elapsedMs(started);
	const statusLine = `${response.status} ${response.statusText || STATUS_CODES[response.status] || ''}`.trim();
	const body = check.method === 'HEAD' ? '' : await bodyStart(response, bodyReadLimit);
	const headers = [...response.headers].map(([name, value]) => `${name}: ${sensitiveHeader.test(name) ? '•••' : value}`);
	const redirected = response.redirected ? [`(redirected to ${response.url})`] : [];
	const detail = [request, `HTTP ${statusLine} in ${latencyMs}ms`, ...redirected, ...headers, '', body.slice(0, bodyShown)].join(
		'\n',
	);
	const status = statusLine;
	if (!expectedStatus(check, response.status)) {
		const expected = check.expectStatus.length === 0 ? '2xx' : check.expectStatus.join(' or ');
		const start = body.slice(0, bodyShown).trim();
		return {ok: false, status, latencyMs, error: `expected ${expected}${start ? `: ${start}` : ''}`, detail};
	}
	if (check.bodyContains !== undefined && !body.includes(check.bodyContains))
		return {ok: false, status, latencyMs, error: `body does not contain ${JSON.stringify(check.bodyContains)}`, detail};
	return {ok: true, status, latencyMs, detail};
}
