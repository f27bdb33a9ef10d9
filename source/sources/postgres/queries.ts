/**
 * The console's SQL, one statement per file in queries/ so that a DBA can
 * read exactly what the console runs against production: the monitoring
 * queries, the two signals the Database panel's keys send, and what
 * `warroom doctor` asks of the console's role. The build
 * inlines the files as text: the bundle stays one file.
 */
import type {BackendSignal} from './backend-signal';
import cancelBackend from './queries/cancel-backend.sql';
import connections from './queries/connections.sql';
import databaseSize from './queries/database-size.sql';
import largestTables from './queries/largest-tables.sql';
import lockTree from './queries/lock-tree.sql';
import longRunning from './queries/long-running.sql';
import ping from './queries/ping.sql';
import privileges from './queries/privileges.sql';
import server from './queries/server.sql';
import terminateBackend from './queries/terminate-backend.sql';

export const queries = {ping, server, connections, longRunning, lockTree, databaseSize, largestTables};

/** Not monitoring: sent only by `C` and `K`, once confirmed. */
export const signalQueries: Record<BackendSignal, string> = {cancel: cancelBackend, terminate: terminateBackend};

/** Not monitoring: asked once by `warroom doctor`. */
export const doctorQueries = {privileges};

export type QueryName = keyof typeof queries;
