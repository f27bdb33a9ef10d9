-- Every backend in a lock tree: each one waiting on a lock, with the pids
-- it waits for (pg_blocking_pids, asked only for the pids that hold an
-- ungranted lock, as pgmetrics does), and each one they wait for, with
-- what the panel shows of both. A blocker without a pg_stat_activity row
-- (a prepared transaction, a backend just gone) still has its line.
-- pg_locks.waitstart is PostgreSQL 14 and later.
WITH waiting AS (
	SELECT pid, min(waitstart) AS wait_start
	FROM pg_locks
	WHERE NOT granted AND pid IS NOT NULL
	GROUP BY pid
),
edges AS (
	SELECT pid, pg_blocking_pids(pid) AS blocked_by, wait_start FROM waiting
),
tree AS (
	SELECT pid FROM edges
	UNION
	SELECT unnest(blocked_by) FROM edges
)
SELECT
	tree.pid,
	coalesce(a.backend_start::text, '') AS backend_start,
	edges.blocked_by,
	extract(epoch FROM now() - coalesce(edges.wait_start, now()))::float8 AS wait_seconds,
	coalesce(pg_get_userbyid(a.usesysid)::text, '') AS usename,
	coalesce(a.application_name, '') AS application_name,
	coalesce(a.state, '') AS state,
	coalesce(a.wait_event_type || ':' || a.wait_event, '') AS wait_event,
	extract(epoch FROM now() - a.xact_start)::float8 AS transaction_seconds,
	coalesce(left(a.query, 1024), '') AS query
FROM tree
LEFT JOIN edges USING (pid)
-- Each pid's row from the function under pg_stat_activity: joining the whole
-- view made this statement ~60% slower with 500 connections (bench/postgres.ts).
LEFT JOIN LATERAL pg_stat_get_activity(tree.pid) AS a ON true
-- Only while waiting: a backend whose waits have all ended since pg_locks was read is not in the tree.
WHERE edges.pid IS NULL OR cardinality(edges.blocked_by) > 0
