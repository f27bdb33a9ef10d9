-- The server and who we are on it: one row. pg_has_role is true for a
-- superuser too; without pg_read_all_stats (pg_monitor has it) other roles'
-- queries read <insufficient privilege> and their state is NULL.
SELECT
	current_setting('server_version') AS version,
	pg_is_in_recovery() AS in_recovery,
	current_setting('max_connections')::int AS max_connections,
	current_user AS role,
	pg_has_role(current_user, 'pg_read_all_stats', 'USAGE') AS reads_all_stats
