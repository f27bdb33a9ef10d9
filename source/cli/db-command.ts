/**
 * `warroom db migrate`: brings the shared incident store's schema to the
 * version this build knows. Safe to run from several hosts at once, and
 * again: what is applied already is left alone.
 */
import {UsageError} from '../errors';
import {migrateStore, StoreSchemaMismatch} from '../incident/store-schema';
import {loadPg} from '../sources/postgres/collector';
import {postgresFailure, serverOf, storeLongTimeouts, storeOptions} from '../sources/postgres/connection';
import type {Settings} from '../config/settings';
import type {Output} from './subcommands';

export async function dbCommand(settings: Settings, args: string[], out: Output, env = process.env): Promise<number> {
	if (args.length !== 1 || args[0] !== 'migrate')
		throw new UsageError(`expected warroom db migrate, got "warroom db ${args.join(' ')}"`);
	const {store, url} = settings.config.incidents;
	if (store !== 'postgres')
		throw new UsageError('warroom db migrate sets up the shared incident store: set incidents.store: postgres in warroom.yaml');
	const where = serverOf(url, env, 'incidents.url');
	const {Client} = await loadPg();
	const client = new Client(storeOptions(url));
	// A connection cut mid-way fails the statement running; the event only repeats it.
	client.on('error', () => undefined);
	try {
		await client.connect();
		const {version, applied} = await migrateStore(client, where);
		out.write(
			applied === 0
				? `incident store ${where}: already at version ${version}\n`
				: `incident store ${where}: schema at version ${version} (${applied} applied)\n`,
		);
		return 0;
	} catch (error) {
		if (error instanceof StoreSchemaMismatch) throw error;
		throw new Error(settings.redact(postgresFailure(error, where, storeLongTimeouts)), {cause: error});
	} finally {
		await client.end().catch(() => undefined);
	}
}
