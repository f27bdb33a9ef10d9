-- Client connections counted by state, by user and by application, in one
-- pass. A backend another role owns, read without pg_read_all_stats, has no
-- backend_type or state: it is counted as 'hidden' when it sits in a
-- database (background processes do not). datid, not datname: the view then
-- leaves out its join to pg_database, a third of this statement's time with
-- 500 connections (bench/postgres.ts).
WITH clients AS (
	SELECT
		coalesce(state, 'hidden') AS state,
		coalesce(usename, '') AS usename,
		coalesce(application_name, '') AS application_name
	FROM pg_stat_activity
	WHERE backend_type = 'client backend' OR (backend_type IS NULL AND datid IS NOT NULL)
)
SELECT
	CASE WHEN grouping(state) = 0 THEN 'state' WHEN grouping(usename) = 0 THEN 'user' ELSE 'application' END AS dimension,
	coalesce(state, usename, application_name) AS name,
	count(*)::int AS count
FROM clients
GROUP BY GROUPING SETS ((state), (usename), (application_name))
