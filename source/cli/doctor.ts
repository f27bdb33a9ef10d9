/**
 * `warroom doctor`: checks what the console needs before an incident needs
 * it (the config, kubectl and the cluster, the database and its grants, the
 * health checks, the journal's store, the data directory and its lock, the terminal) and prints
 * one line each, with a fix for what is not ok. Exit 1 when anything is
 * missing; a bad config never gets here (exit 2, from the settings).
 */
import type {Settings} from '../config/settings';
import {buildDoctorReport, doctorExitCode, doctorText, type Finding} from '../doctor/finding';
import {dataDirFindings} from '../doctor/data-dir';
import {journalFindings, type StoreProbe, type StoreToCheck} from '../doctor/journal-store';
import {healthFindings, probeCheck, type CheckProbe} from '../doctor/health-probe';
import {kubernetesFindings} from '../doctor/kubernetes';
import {postgresFindings} from '../doctor/postgres';
import {terminalFinding, type TerminalFacts} from '../doctor/terminal';
import {checkFormat, type Output} from './subcommands';
import {FileJournal} from '../incident/file-journal';
import {serverOf} from '../sources/postgres/connection';
import {plural} from '../text/plural';

export type DoctorContext = {
	terminal: TerminalFacts;
	env: NodeJS.ProcessEnv;
	cwd: string;
	/** Whether a health check can run; by default, its program exists or its host resolves. */
	probe?: CheckProbe;
	/** What asks a shared incident store (a PostgreSQL one: `postgresStoreProbe`); unused for the file store. */
	storeProbe?: () => StoreProbe;
};

/** A bound on the cluster's findings all together: kubectl's own timeouts come first. */
const clusterTimeoutMs = 30_000;

function configFinding(settings: Settings): Finding {
	const checks = settings.config.health.length;
	const health = plural(checks, 'health check');
	return settings.config.file
		? {check: 'config', status: 'ok', detail: `${settings.config.file} parses (${health})`}
		: {check: 'config', status: 'ok', detail: 'no warroom.yaml: the defaults (see README)'};
}

/** The journal's store as the config names it, with how to ask it: doctor opens no journal, so a store a console would refuse is still reported. */
async function storeToCheck(settings: Settings, context: DoctorContext): Promise<StoreToCheck> {
	const {incidents} = settings.config;
	if (incidents.store !== 'postgres')
		return {store: 'file', where: settings.dataDir, journal: new FileJournal({dir: settings.dataDir, actor: settings.actor})};
	const where = serverOf(incidents.url, context.env, 'incidents.url');
	if (context.storeProbe) return {store: 'postgres', where, probe: context.storeProbe};
	const {postgresStoreProbe} = await import('../doctor/store-postgres');
	return {store: 'postgres', where, probe: () => postgresStoreProbe(incidents.url, context.env)};
}

export async function doctorCommand(
	settings: Settings,
	options: {format: string},
	out: Output,
	context: DoctorContext,
): Promise<number> {
	checkFormat(options.format);
	const {config} = settings;
	const target = await storeToCheck(settings, context);
	const groups = await Promise.all([
		kubernetesFindings(config.kubernetes, AbortSignal.timeout(clusterTimeoutMs)),
		postgresFindings(config.postgres, context.env),
		healthFindings(config.health, context.probe ?? probeCheck(context.env, context.cwd)),
		journalFindings(target, settings.dataDir),
		dataDirFindings(settings.dataDir, target.store),
	]);
	const report = buildDoctorReport([configFinding(settings), ...groups.flat(), terminalFinding(context.terminal)], Date.now());
	// Errors quote what they were given (a URL, a kubeconfig's words): masked like every report.
	out.write(`${settings.redact(options.format === 'json' ? JSON.stringify(report, null, 2) : doctorText(report))}\n`);
	return doctorExitCode(report);
}
