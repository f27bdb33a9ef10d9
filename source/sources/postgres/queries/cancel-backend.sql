-- Cancels the statement backend $1 runs, if it is still the backend that
-- started at $2: a pid is reused once its backend ends, so the start time is
-- checked in the statement that sends the signal. No row: it is gone.
SELECT pg_cancel_backend(pid) AS signalled, coalesce(state, '') AS state
FROM pg_stat_activity
WHERE pid = $1 AND backend_start = $2::timestamptz
