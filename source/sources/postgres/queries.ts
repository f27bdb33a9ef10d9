/**
 * The monitoring SQL, one statement per file in queries/ so that a DBA can
 * read exactly what the console runs against production. The build inlines
 * the files as text: the bundle stays one file.
 */
import connections from './queries/connections.sql';
import databaseSize from './queries/database-size.sql';
import largestTables from './queries/largest-tables.sql';
import lockTree from './queries/lock-tree.sql';
import longRunning from './queries/long-running.sql';
import ping from './queries/ping.sql';
import server from './queries/server.sql';

export const queries = {ping, server, connections, longRunning, lockTree, databaseSize, largestTables};

export type QueryName = keyof typeof queries;
