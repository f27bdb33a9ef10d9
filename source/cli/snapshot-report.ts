/**
 * `warroom snapshot`: the state of everything at one moment, as the JSON
 * contract in DESIGN.md or as text for a chat message. Pure.
 */
import {computeClock, isMissed, type DeadlineStatus} from '../incident/clock';
import {deadlineSummary} from '../incident/deadline-text';
import type {Incident} from '../incident/incident';
import type {JournalLink, SkippedIncident} from '../incident/journal';
import type {Policy} from '../incident/policy';
import type {HealthResult, KubernetesData, Pod, PostgresData, Readings, ReadingState} from '../sources/types';
import {toSingleLine} from '../text/sanitize';
import {plural} from '../text/plural';

export type SnapshotReport = {
	takenAt: string;
	incident: null | {
		id: string;
		title: string;
		severity: string;
		status: string;
		declaredAt: string;
		deadlines: Array<{name: string; label: string; status: DeadlineStatus; dueAt: string; metAt?: string; overdue: boolean}>;
	};
	/** DESIGN.md's fields, and (beyond it) the cluster, the counts by namespace and of pods on their way, deployments, warnings, usage and what could not be read. */
	kubernetes: {state: ReadingState; error?: string; pods: Pod[]} & Partial<Omit<KubernetesData, 'pods'>>;
	postgres: {state: ReadingState; error?: string} & PostgresData;
	health: {state: ReadingState; error?: string; checks: HealthResult[]};
	/** Incident files that could not be read: the incident above may not be the one open. */
	journalProblems: SkippedIncident[];
	/** The journal's store as this snapshot found it; `waiting` is its outbox, `lagMs` how long reading the incident took. */
	journal: Pick<JournalLink, 'store' | 'where' | 'state' | 'error' | 'waiting'> & {lagMs?: number};
};

/** How reading the journal went: how long listing and reading the incident took, or why the store could not be read. */
export type JournalRead = {tookMs: number} | {unreachable: string};

/** The journal's section: the link, except that a store this snapshot could not read is offline, whatever the link heard last. */
function journalSection({store, where, state, error, waiting}: JournalLink, read: JournalRead): SnapshotReport['journal'] {
	if ('unreachable' in read) return {store, where, state: 'offline', error: read.unreachable, waiting};
	return {store, where, state, ...errorOf(error), lagMs: read.tookMs, waiting};
}

const emptyPostgres: PostgresData = {connections: {total: 0, max: 0, byState: {}}, longRunning: [], blocking: []};

const errorOf = (error: string | undefined) => (error === undefined ? {} : {error});

/** A check as the report gives it: what it found, without the detail view's text or the sparkline's latencies. */
const reportedCheck = ({detail: _detail, history: _history, ...check}: HealthResult): HealthResult => check;

export function buildSnapshot(options: {
	policy: Policy;
	incident?: Incident;
	readings: Readings;
	now: number;
	skipped?: SkippedIncident[];
	journal: {link: JournalLink; read: JournalRead};
}): SnapshotReport {
	const {policy, incident, readings, now} = options;
	const clock = incident && computeClock(policy, incident, now);
	const {kubernetes, postgres, health} = readings;
	return {
		takenAt: new Date(now).toISOString(),
		incident:
			incident && clock
				? {
						id: incident.id,
						title: incident.title,
						severity: incident.severity,
						status: incident.status,
						declaredAt: new Date(incident.declaredAt).toISOString(),
						deadlines: clock.deadlines.map(deadline => ({
							name: deadline.id,
							label: deadline.label,
							status: deadline.status,
							dueAt: new Date(deadline.dueAt).toISOString(),
							...(deadline.metAt === undefined ? {} : {metAt: new Date(deadline.metAt).toISOString()}),
							overdue: isMissed(deadline.status),
						})),
					}
				: null,
		kubernetes: {state: kubernetes.state, ...errorOf(kubernetes.error), pods: [], ...kubernetes.data},
		postgres: {state: postgres.state, ...errorOf(postgres.error), ...(postgres.data ?? emptyPostgres)},
		health: {state: health.state, ...errorOf(health.error), checks: (health.data?.checks ?? []).map(reportedCheck)},
		journalProblems: options.skipped ?? [],
		journal: journalSection(options.journal.link, options.journal.read),
	};
}

/**
 * Exit 1 territory: a source failing, a pod not healthy, a check failing, a
 * backend waiting on a lock, an unreadable incident file, a journal store
 * that cannot be reached.
 */
export function isUnhealthy(report: SnapshotReport): boolean {
	return (
		report.journalProblems.length > 0 ||
		report.journal.state === 'offline' ||
		report.kubernetes.state === 'error' ||
		report.postgres.state === 'error' ||
		report.health.state === 'error' ||
		report.kubernetes.pods.length > 0 ||
		report.postgres.blocking.length > 0 ||
		report.health.checks.some(check => !check.ok)
	);
}

/** The database in a few lines: the server, how full it is, and who waits for whom. */
function postgresLines(postgres: SnapshotReport['postgres']): string[] {
	const {server, connections, longRunning, blocking} = postgres;
	return [
		...(server
			? [
					`  PostgreSQL ${toSingleLine(server.version)}${server.inRecovery ? ' (replica)' : ''}, round trip ${server.roundTripMs}ms`,
				]
			: []),
		`  connections ${connections.total}/${connections.max}, ${longRunning.length} long-running, ${blocking.length} waiting on locks`,
		...blocking.map(
			waiter =>
				`  ${waiter.pid} waits ${waiter.waitSeconds}s for ${waiter.blockedBy.join(', ')}: ${toSingleLine(waiter.query).slice(0, 200)}`,
		),
	];
}

/** What of an error a text line shows: a store may quote a whole statement. */
const maxErrorLength = 200;

/** The journal in one line: `journal: postgres db:5432/warroom, offline (…), 3 events waiting, read in 12ms`. */
function journalLine({store, where, state, error, waiting, lagMs}: SnapshotReport['journal']): string {
	const line = error === undefined ? '' : toSingleLine(error);
	const why = error === undefined ? '' : ` (${line.length > maxErrorLength ? `${line.slice(0, maxErrorLength)}…` : line})`;
	const queued = waiting === 0 ? '' : `, ${plural(waiting, 'event')} waiting to be sent`;
	const took = lagMs === undefined ? '' : `, read in ${lagMs}ms`;
	return `journal: ${store} ${toSingleLine(where)}, ${state}${why}${queued}${took}`;
}

export function snapshotText(report: SnapshotReport, now: number): string {
	const lines: string[] = [`warroom snapshot ${report.takenAt}`];
	const {incident} = report;
	if (incident) {
		lines.push(
			`${incident.id} ${incident.severity} ${incident.status}: ${toSingleLine(incident.title)} (declared ${incident.declaredAt})`,
		);
		for (const deadline of incident.deadlines) {
			const {label, status, dueAt, metAt} = deadline;
			lines.push(
				`  ${deadlineSummary(label, {status, dueAt: Date.parse(dueAt), ...(metAt ? {metAt: Date.parse(metAt)} : {})}, now)}`,
			);
		}
	} else {
		lines.push('no unresolved incident');
	}
	lines.push(journalLine(report.journal));
	for (const {incident, message} of report.journalProblems) lines.push(`journal: ${incident} skipped: ${toSingleLine(message)}`);
	const state = (name: string, source: {state: ReadingState; error?: string}) =>
		`${name}: ${source.state}${source.error ? ` (${toSingleLine(source.error)})` : ''}`;
	lines.push(state('kubernetes', report.kubernetes));
	const {context, cluster} = report.kubernetes;
	if (context) lines.push(`  ${toSingleLine(`context ${context}${cluster ? ` (cluster ${cluster})` : ''}`)}`);
	for (const pod of report.kubernetes.pods) {
		const detail = pod.detail ? `: ${pod.detail}` : '';
		lines.push(
			`  ${toSingleLine(`${pod.namespace}/${pod.name} ${pod.reason} ready ${pod.ready} restarts ${pod.restarts}${detail}`)}`,
		);
	}
	lines.push(state('postgres', report.postgres));
	if (report.postgres.state !== 'disabled') lines.push(...postgresLines(report.postgres));
	lines.push(state('health', report.health));
	for (const check of report.health.checks) {
		lines.push(`  ${check.ok ? 'ok  ' : 'FAIL'} ${toSingleLine(`${check.name} ${check.status ?? ''} ${check.error ?? ''}`)}`);
	}
	return lines.join('\n');
}
