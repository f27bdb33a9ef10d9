-- What `warroom doctor` asks of the console's role: who it is, quoted as a
-- GRANT names it, and whether it has what the Database panel reads with
-- (pg_read_all_stats, which pg_monitor has) and what C and K signal with
-- (pg_signal_backend). pg_has_role is true for a superuser too.
SELECT
	current_user AS role,
	quote_ident(current_user) AS role_ident,
	current_setting('server_version') AS version,
	pg_has_role(current_user, 'pg_read_all_stats', 'USAGE') AS reads_all_stats,
	pg_has_role(current_user, 'pg_signal_backend', 'USAGE') AS signals_backends
