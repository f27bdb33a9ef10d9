-- The ten largest tables by total size (data, indexes, TOAST), as the seed
-- runbook's query, for every schema but the system's. pg_total_relation_size
-- takes a share lock: lock_timeout ends the wait behind an ALTER TABLE.
SELECT n.nspname AS schema, c.relname AS name, pg_total_relation_size(c.oid)::float8 AS bytes
FROM pg_class AS c
JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'm')
	AND n.nspname NOT IN ('pg_catalog', 'information_schema')
	AND n.nspname NOT LIKE 'pg_toast%'
ORDER BY bytes DESC
LIMIT 10
