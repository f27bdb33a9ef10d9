-- Who a console signs in to the incident store as (quoted as a GRANT names
-- it), and what it lacks to write: an append runs warroom.append_event,
-- which inserts into warroom.events, in the warroom schema. NULL: it may
-- write. Asked by every console before it writes, and by `warroom doctor`.
-- Read from the catalogs, which every role may read, so that a role kept out
-- of the schema still gets its answer.
SELECT
	current_user AS role,
	quote_ident(current_user) AS role_ident,
	CASE
		WHEN NOT coalesce((SELECT has_schema_privilege(oid, 'USAGE') FROM pg_catalog.pg_namespace WHERE nspname = 'warroom'), false)
			THEN 'no USAGE on schema warroom'
		WHEN NOT coalesce((
			SELECT has_table_privilege(c.oid, 'INSERT')
			FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = 'warroom' AND c.relname = 'events'
		), false)
			THEN 'no INSERT on warroom.events'
		WHEN NOT coalesce((
			SELECT bool_and(has_function_privilege(p.oid, 'EXECUTE'))
			FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
			WHERE n.nspname = 'warroom' AND p.proname = 'append_event'
		), false)
			THEN 'no EXECUTE on warroom.append_event'
	END AS cannot_write
