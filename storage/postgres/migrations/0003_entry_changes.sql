-- Version 3: changes of channels' entries are announced, so that frontends
-- may keep channels' last values in memory (storage/postgres/last_values.h).
-- `fieldpost_entry_changes` carries channel ids separated by spaces.
--
-- The writes of /update are announced after their transaction, in a
-- statement of their own (storage/postgres/pg_append_batcher.h), not from
-- inside it: a transaction that notifies holds a database-wide lock from
-- just before its commit until after it, so every frontend's write batches
-- would commit one at a time. Clearing, pruning, importing and bulk
-- updates, fewer and larger, announce from inside their transactions.

CREATE FUNCTION fieldpost_announce_entries(channels integer[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  -- A payload holds at most 8000 bytes: 500 ids a notification.
  PERFORM pg_notify('fieldpost_entry_changes', string_agg(id::text, ' '))
    FROM (SELECT id, (row_number() OVER ()) / 500 AS part
            FROM (SELECT DISTINCT unnest(channels) AS id) AS distinct_ids) AS numbered
    GROUP BY part;
END
$$;
