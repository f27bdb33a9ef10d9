/**
 * The one list of sources: which collector reads each source in a run, used
 * alike by the console (which keeps them running) and by `snapshot` (which
 * reads each once). A source with no collector is `disabled`. Adding a
 * source means its folder under sources/ and one line here.
 */
import {collectOnce, runCollector, type Collector, type CollectorHandle} from './collector';
import {drillCollectors, type Drill} from './drill/drill';
import type {DrillCluster} from './drill/drill-cluster';
import type {DrillDatabase} from './drill/drill-database';
import {healthCollector} from './health/collector';
import {kubernetesCollector} from './kubernetes/collector';
import {postgresCollector} from './postgres/collector';
import {createRedactor} from '../config/secrets';
import type {Config} from '../config/types';
import {mapStrings} from '../text/sanitize';
import {disabledReadings, sourceNames, type Reading, type Readings, type SourceData, type SourceName} from './types';

export type SourceCollectors = {[K in SourceName]?: Collector<SourceData[K]>};

/**
 * The collectors for this run: a drill's scripted ones, else the real ones
 * the config enables. The cluster is read only when the config has a
 * `kubernetes:` section, the database when it has a `postgres:` one (or
 * DATABASE_URL is set: settings.ts), the checks when it lists any.
 */
export function sourcesFor(options: {
	drill?: Drill;
	drillCluster?: DrillCluster;
	drillDatabase?: DrillDatabase;
	startedAt: number;
	config: Config;
}): SourceCollectors {
	if (options.drill)
		return drillCollectors(options.drill, options.startedAt, {
			...(options.drillCluster ? {cluster: options.drillCluster} : {}),
			...(options.drillDatabase ? {database: options.drillDatabase} : {}),
		});
	const {kubernetes, postgres, health} = options.config;
	return {
		...(kubernetes ? {kubernetes: kubernetesCollector(kubernetes)} : {}),
		...(postgres ? {postgres: postgresCollector(postgres)} : {}),
		...(health.length > 0 ? {health: healthCollector(health, createRedactor(options.config.secrets))} : {}),
	};
}

/**
 * A source's error may quote what it was given (a URL, a header), and so may
 * its data (a check's answer, a command's output): every string in both is
 * masked before anyone sees it. For the readings of one running collector,
 * each part of the data is masked once: a watch publishes its unchanged parts again (the
 * same objects) with every change, and masking every string of a
 * 10,000-pod cluster's usage and deployments anew each time took 3% of a
 * core. The parts are never changed once published, so one masked is done.
 */
export function redactingReadings(redact: (text: string) => string) {
	const masked = new WeakMap<object, unknown>();
	const maskPart = (part: unknown) => {
		if (typeof part !== 'object' || part === null) return mapStrings(part, redact);
		if (!masked.has(part)) masked.set(part, mapStrings(part, redact));
		return masked.get(part);
	};
	const maskData = <T>(data: T): T => {
		if (typeof data !== 'object' || data === null || Array.isArray(data)) return mapStrings(data, redact);
		const entries = Object.entries(data);
		const changed = entries.map(([key, part]) => [redact(key), maskPart(part)] as const);
		// Data with nothing to mask stays the same object, so nothing downstream computes it again.
		const same = changed.every(([key, part], index) => key === entries[index]![0] && part === entries[index]![1]);
		return same ? data : (Object.fromEntries(changed) as T);
	};
	return <T>(reading: Reading<T>): Reading<T> => ({
		...reading,
		...(reading.error === undefined ? {} : {error: redact(reading.error)}),
		...(reading.data === undefined ? {} : {data: maskData(reading.data)}),
	});
}

/** One reading masked, as `redactingReadings` masks a collector's. */
export const redactReading = <T>(reading: Reading<T>, redact: (text: string) => string): Reading<T> =>
	redactingReadings(redact)(reading);

export type PublishReading = <K extends SourceName>(source: K, reading: Reading<SourceData[K]>) => void;

/** Keeps every collector reading until stopped, publishing each reading with its secrets masked. */
export function runSources(
	collectors: SourceCollectors,
	publish: PublishReading,
	redact: (text: string) => string,
): CollectorHandle[] {
	return sourceNames.flatMap(source => {
		const collector = collectors[source] as Collector<SourceData[typeof source]> | undefined;
		if (!collector) return [];
		const redactOne = redactingReadings(redact);
		return [runCollector(collector, reading => publish(source, redactOne(reading)))];
	});
}

/** One reading of every source, for a report: the ones without a collector are disabled. */
export async function readSourcesOnce(collectors: SourceCollectors, redact: (text: string) => string): Promise<Readings> {
	const readings = disabledReadings();
	const read = async <K extends SourceName>(source: K): Promise<void> => {
		const collector = collectors[source] as Collector<SourceData[K]> | undefined;
		if (collector) readings[source] = redactReading(await collectOnce(collector), redact) as Readings[K];
	};
	await Promise.all(sourceNames.map(read));
	return readings;
}
