-- The size of the database we are connected to (the seed runbook's query).
SELECT current_database() AS name, pg_database_size(current_database())::float8 AS bytes
