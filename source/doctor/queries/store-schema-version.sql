-- The incident store's schema version: the newest migration applied.
SELECT max(version) AS version FROM warroom.schema_migrations
