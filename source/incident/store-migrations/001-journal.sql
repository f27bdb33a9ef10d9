-- The incident journal shared by every console: one row per incident, one per event.
-- `actor` is the database role that wrote the event, set by the server (never
-- what a client says), and the events are append-only.

CREATE TABLE warroom.incidents (
	number int PRIMARY KEY CHECK (number > 0),
	-- The last seq handed out: its row lock serialises the appends to one incident.
	last_seq int NOT NULL DEFAULT 0,
	created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE TABLE warroom.events (
	incident int NOT NULL REFERENCES warroom.incidents (number),
	seq int NOT NULL CHECK (seq > 0),
	event_id uuid NOT NULL UNIQUE,
	-- The exact ISO string the console wrote: read back as it was written.
	at text NOT NULL,
	actor text NOT NULL,
	imported_by text,
	late boolean,
	type text NOT NULL,
	payload jsonb NOT NULL,
	recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
	PRIMARY KEY (incident, seq)
);

-- Who wrote an event is the role signed in, whatever the client sent; an
-- imported event keeps who did it, and the importer is the role signed in.
CREATE FUNCTION warroom.stamp_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.imported_by IS NULL THEN
		NEW.actor := current_user;
	ELSE
		NEW.imported_by := current_user;
	END IF;
	RETURN NEW;
END
$$;

CREATE TRIGGER stamp_event BEFORE INSERT ON warroom.events
	FOR EACH ROW EXECUTE FUNCTION warroom.stamp_event();

CREATE FUNCTION warroom.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'the incident journal is append-only: % on warroom.events refused', TG_OP
		USING ERRCODE = 'restrict_violation';
END
$$;

CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON warroom.events
	FOR EACH ROW EXECUTE FUNCTION warroom.refuse_change();

CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON warroom.events
	FOR EACH STATEMENT EXECUTE FUNCTION warroom.refuse_change();

-- One round trip per append. A resend (same event id) returns the event kept
-- the first time. Otherwise the incident's row lock hands out the next seq:
-- gap-free and unique however many consoles append at once. `late`: sent with
-- its own time (`stamped`, from an outbox) after an event with a later time.
CREATE FUNCTION warroom.append_event(
	p_incident int, p_event_id uuid, p_at text, p_stamped boolean, p_type text, p_payload jsonb
) RETURNS warroom.events LANGUAGE plpgsql SECURITY INVOKER AS $$
DECLARE
	kept warroom.events;
	next_seq int;
BEGIN
	PERFORM 1 FROM warroom.incidents WHERE number = p_incident FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no incident INC-% in the incident store', p_incident USING ERRCODE = 'no_data_found';
	END IF;
	-- Looked for under the lock: a resend racing its first send finds it committed.
	SELECT * INTO kept FROM warroom.events WHERE event_id = p_event_id;
	IF FOUND AND kept.incident <> p_incident THEN
		RAISE EXCEPTION 'event % is already in INC-%, not INC-%', p_event_id, kept.incident, p_incident
			USING ERRCODE = 'unique_violation';
	END IF;
	IF FOUND THEN
		RETURN kept;
	END IF;
	UPDATE warroom.incidents SET last_seq = last_seq + 1 WHERE number = p_incident RETURNING last_seq INTO next_seq;
	INSERT INTO warroom.events (incident, seq, event_id, at, actor, late, type, payload)
	VALUES (
		p_incident, next_seq, p_event_id, p_at, current_user,
		-- Compared as moments, not as text: 03:00:00Z is before 03:00:00.5Z.
		CASE WHEN p_stamped AND EXISTS (
			SELECT 1 FROM warroom.events WHERE incident = p_incident AND at::timestamptz > p_at::timestamptz
		) THEN true END,
		p_type, p_payload
	)
	RETURNING * INTO kept;
	PERFORM pg_notify('warroom', format('INC-%s:%s', p_incident, next_seq));
	RETURN kept;
END
$$;

-- A new incident under the next number (one declaration at a time, by an
-- advisory lock), with its first event; a resend returns the first one.
CREATE FUNCTION warroom.declare_incident(
	p_event_id uuid, p_at text, p_type text, p_payload jsonb
) RETURNS warroom.events LANGUAGE plpgsql SECURITY INVOKER AS $$
DECLARE
	kept warroom.events;
	next_number int;
BEGIN
	PERFORM pg_advisory_xact_lock(hashtext('warroom.incidents'));
	SELECT * INTO kept FROM warroom.events WHERE event_id = p_event_id;
	IF FOUND THEN
		RETURN kept;
	END IF;
	SELECT coalesce(max(number), 0) + 1 INTO next_number FROM warroom.incidents;
	INSERT INTO warroom.incidents (number, last_seq) VALUES (next_number, 1);
	INSERT INTO warroom.events (incident, seq, event_id, at, actor, type, payload)
	VALUES (next_number, 1, p_event_id, p_at, current_user, p_type, p_payload)
	RETURNING * INTO kept;
	PERFORM pg_notify('warroom', format('INC-%s:1', next_number));
	RETURN kept;
END
$$;
