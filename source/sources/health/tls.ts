/**
 * A `tls` check: the certificate a host:port presents (for its SNI name):
 * days until it expires, its issuer, whether it names the host, whether its
 * chain verifies. Fails when expired, not yet valid, for another name or
 * unverified; warns when fewer than `warnDays` days are left.
 */
import {readFile} from 'node:fs/promises';
import {isIP} from 'node:net';
import {
	checkServerIdentity,
	connect,
	createSecureContext,
	rootCertificates,
	type DetailedPeerCertificate,
	type PeerCertificate,
	type SecureContext,
} from 'node:tls';
import type {TlsCheck} from '../../config/types';
import {plainFailure} from '../../errors';
import {elapsedMs, type CheckOutcome} from './outcome';
import {connectFailure} from './tcp';
import {plural} from '../../text/plural';

const dayMs = 86_400_000;

// OpenSSL's verification codes a responder meets, in words.
const chainProblems: Record<string, string> = {
	DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed',
	SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in the chain',
	UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'issuer not trusted',
	UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'issuer not trusted',
	CERT_UNTRUSTED: 'not trusted',
};

// The chain's verdicts the dates or the name say already.
const saidApart = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID']);

/** Whole days from `now` to `validTo`: negative once expired. */
export const daysLeft = (validTo: number, now: number) => Math.floor((validTo - now) / dayMs);

/** What is wrong with a certificate, and whether it only warns; pure, on what the handshake found. */
export function judgeCertificate(facts: {
	validFrom: number;
	validTo: number;
	now: number;
	warnDays: number;
	/** OpenSSL's code when the chain did not verify. */
	chainError?: string;
	/** Why the certificate does not name the host, when it does not. */
	nameError?: string;
}): {problems: string[]; warning?: string; days: number} {
	const days = daysLeft(facts.validTo, facts.now);
	const problems: string[] = [];
	if (facts.validTo <= facts.now) problems.push(`expired ${plural(-days, 'day')} ago`);
	else if (facts.validFrom > facts.now) problems.push('not valid yet');
	// An expired certificate, or one for another name, also fails its chain: said once.
	const chain = saidApart.has(facts.chainError ?? '') ? undefined : facts.chainError;
	if (chain !== undefined) problems.push(`chain does not verify: ${chainProblems[chain] ?? chain}`);
	if (facts.nameError !== undefined) problems.push(facts.nameError);
	const warning = problems.length === 0 && days < facts.warnDays ? `expires in ${plural(days, 'day')}` : undefined;
	return {problems, days, ...(warning ? {warning} : {})};
}

/** The certificate and the ones above it, as the server sent them. */
function chainOf(certificate: DetailedPeerCertificate): PeerCertificate[] {
	const chain: PeerCertificate[] = [];
	for (let at: DetailedPeerCertificate | undefined = certificate; at && !chain.includes(at); at = at.issuerCertificate) {
		chain.push(at);
		if (at.issuerCertificate === at) break;
	}
	return chain;
}

const nameOf = (part: PeerCertificate['subject'] | undefined) =>
	Object.entries(part ?? {})
		.map(([key, value]) => `${key}=${[value].flat().join('+')}`)
		.join(', ');

function certificateLines(certificate: DetailedPeerCertificate): string[] {
	return [
		`subject: ${nameOf(certificate.subject)}`,
		...(certificate.subjectaltname ? [`names: ${certificate.subjectaltname}`] : []),
		`issuer: ${nameOf(certificate.issuer)}`,
		`valid: ${certificate.valid_from} to ${certificate.valid_to}`,
		'chain:',
		...chainOf(certificate).map((link, index) => `  ${index}: ${nameOf(link.subject)} (issued by ${nameOf(link.issuer)})`),
	];
}

// A context with a CA of its own parses every root certificate as well: made once per CA file, not per handshake.
const contexts = new Map<string, Promise<SecureContext>>();

/** The system's roots and the CA in `caFile`, read once for the run; a file that could not be read is tried again next time. */
function contextTrusting(caFile: string): Promise<SecureContext> {
	const known = contexts.get(caFile);
	if (known) return known;
	const made = readFile(caFile, 'utf8').then(ca => createSecureContext({ca: [...rootCertificates, ca]}));
	contexts.set(caFile, made);
	made.catch(() => contexts.delete(caFile));
	return made;
}

type Handshake = {certificate: DetailedPeerCertificate; chainError?: string; latencyMs: number};

function handshake(
	check: TlsCheck,
	servername: string | undefined,
	secureContext: SecureContext | undefined,
	signal: AbortSignal,
) {
	const {host, port} = check.target;
	const started = performance.now();
	return new Promise<Handshake>((resolve, reject) => {
		// Verified by hand below, so that an untrusted certificate is still read and described.
		const socket = connect({
			host,
			port,
			rejectUnauthorized: false,
			...(servername ? {servername} : {}),
			...(secureContext ? {secureContext} : {}),
		});
		const stop = () => socket.destroy();
		signal.addEventListener('abort', stop, {once: true});
		socket.once('secureConnect', () => {
			const certificate = socket.getPeerCertificate(true);
			const error = socket.authorizationError as unknown;
			const chainError =
				error === null || error === undefined ? undefined : typeof error === 'string' ? error : plainFailure(error);
			socket.destroy();
			signal.removeEventListener('abort', stop);
			resolve({certificate, latencyMs: elapsedMs(started), ...(chainError === undefined ? {} : {chainError})});
		});
		socket.once('error', error => {
			signal.removeEventListener('abort', stop);
			reject(error);
		});
	});
}

export async function tlsCheck(check: TlsCheck, signal: AbortSignal, now = Date.now): Promise<CheckOutcome> {
	const {host, port} = check.target;
	const name = check.sni ?? host;
	const address = `${host}:${port}${check.sni ? ` (SNI ${check.sni})` : ''}`;
	const secureContext = check.ca === undefined ? undefined : await contextTrusting(check.ca);
	let found: Handshake;
	try {
		found = await handshake(check, isIP(name) ? undefined : name, secureContext, signal);
	} catch (error) {
		signal.throwIfAborted();
		const reason = connectFailure(error);
		return {ok: false, error: reason, detail: `${address}: ${reason}`};
	}
	const {certificate, chainError, latencyMs} = found;
	if (!certificate.valid_to) return {ok: false, latencyMs, error: 'no certificate presented', detail: address};
	const nameError = checkServerIdentity(name, certificate);
	const judged = judgeCertificate({
		validFrom: Date.parse(certificate.valid_from),
		validTo: Date.parse(certificate.valid_to),
		now: now(),
		warnDays: check.warnDays,
		...(chainError === undefined ? {} : {chainError}),
		...(nameError === undefined ? {} : {nameError: `not valid for ${name}`}),
	});
	const detail = [address, ...certificateLines(certificate)].join('\n');
	const issuer = [certificate.issuer?.O ?? certificate.issuer?.CN ?? nameOf(certificate.issuer)].flat().join(' ');
	const status = `${judged.days}d left · ${issuer}`;
	const common = {latencyMs, certDaysLeft: judged.days, status, detail};
	if (judged.problems.length > 0) return {ok: false, ...common, error: judged.problems.join('; ')};
	return {ok: true, ...common, ...(judged.warning ? {warning: judged.warning} : {})};
}
