-- Statements running (or transactions left open) longer than $1 seconds,
-- oldest first; this console's own backend is left out.
SELECT
	pid,
	backend_start::text AS backend_start,
	coalesce(usename, '') AS usename,
	coalesce(application_name, '') AS application_name,
	state,
	extract(epoch FROM now() - query_start)::float8 AS duration_seconds,
	left(query, 1024) AS query
FROM pg_stat_activity
WHERE backend_type = 'client backend'
	AND state <> 'idle'
	AND pid <> pg_backend_pid()
	AND query_start < now() - make_interval(secs => $1)
ORDER BY query_start
LIMIT 100
