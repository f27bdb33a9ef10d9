-- What `warroom doctor` asks of the incident store first: who the console
-- signs in as (quoted as a GRANT names it), whether the warroom schema is
-- there, and whether this role may append (INSERT on warroom.events, and
-- USAGE on its schema). Read from the catalogs, which every role may read,
-- so that a role kept out of the schema still gets its answer.
SELECT
	current_user AS role,
	quote_ident(current_user) AS role_ident,
	EXISTS (
		SELECT FROM pg_catalog.pg_tables WHERE schemaname = 'warroom' AND tablename = 'schema_migrations'
	) AS has_schema,
	coalesce((
		SELECT has_schema_privilege(n.oid, 'USAGE') AND has_table_privilege(c.oid, 'INSERT')
		FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'warroom' AND c.relname = 'events'
	), false) AS may_insert
