/**
 * One run of one check, whatever its kind, bounded by its timeout: a check
 * that does not answer in time is abandoned (a command's process group is
 * killed) and reported as timed out. Never throws. What the collector runs
 * on every interval, and `snapshot` once per check; `warroom doctor` only
 * asks whether a check could run (doctor/health-probe.ts).
 */
import type {HealthCheck} from '../../config/types';
import {plainFailure} from '../../errors';
import {formatTook} from '../../text/duration';
import type {HealthResult} from '../types';
import {commandCheck} from './command';
import {httpCheck} from './http';
import {outsideLine, whenAborted, type CheckOutcome} from './outcome';
import {tcpCheck} from './tcp';
import {tlsCheck} from './tls';

function runner(check: HealthCheck, signal: AbortSignal): Promise<CheckOutcome> {
	switch (check.kind) {
		case 'http':
			return httpCheck(check, signal);
		case 'tls':
			return tlsCheck(check, signal);
		case 'tcp':
			return tcpCheck(check, signal);
		case 'command':
			return commandCheck(check, signal);
	}
}

/** One run of `check` within its timeout (or until `signal` aborts), with its warning when healthy but near a limit. */
export async function runCheckOutcome(check: HealthCheck, signal: AbortSignal): Promise<CheckOutcome> {
	const timeout = AbortSignal.timeout(check.timeoutMs);
	const both = AbortSignal.any([signal, timeout]);
	try {
		// Raced: a runner stuck past its abort (a DNS lookup) is abandoned all the same.
		return await Promise.race([runner(check, both), whenAborted(both)]);
	} catch (error) {
		const reason = timeout.aborted
			? `timed out after ${formatTook(check.timeoutMs)}`
			: signal.aborted
				? 'stopped'
				: plainFailure(error);
		return {ok: false, error: reason, detail: reason};
	}
}

export type Redact = (text: string) => string;

/**
 * A result as the panel and `snapshot` show it, from one run alone: failing
 * at once when it failed. What the outside said is masked with `redact`
 * before it is cut to a line: a credential cut in two would no longer match.
 */
export function resultOf(check: HealthCheck, outcome: CheckOutcome, redact: Redact): HealthResult {
	return {
		name: check.name,
		kind: check.kind,
		ok: outcome.ok,
		...(outcome.status === undefined ? {} : {status: outsideLine(redact(outcome.status), 120)}),
		...(outcome.latencyMs === undefined ? {} : {latencyMs: outcome.latencyMs}),
		...(outcome.certDaysLeft === undefined ? {} : {certDaysLeft: outcome.certDaysLeft}),
		...(outcome.error === undefined ? {} : {error: outsideLine(redact(outcome.error), 300)}),
		state: outcome.ok ? (outcome.warning ? 'warning' : 'ok') : 'failing',
		detail: redact(outcome.detail),
	};
}

/** Runs `check` once, its secrets masked with `redact`: its result, never an exception. */
export async function runCheck(check: HealthCheck, signal: AbortSignal, redact: Redact): Promise<HealthResult> {
	return resultOf(check, await runCheckOutcome(check, signal), redact);
}
