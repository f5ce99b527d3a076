-- Version 3: changes of channels' entries are announced, so that frontends
-- may keep channels' last values in memory (storage/postgres/last_values.h).
-- `fieldpost_entry_changes` carries channel ids separated by spaces.
--
-- The writes of /update announce after their transaction commits, in a
-- statement of their own that follows COMMIT in the same round trip
-- (fieldpost_announce_writes), not from inside it: a transaction that
-- notifies holds a database-wide lock from just before its commit until
-- after it, so every frontend's write batches would commit one at a time.
-- Clearing, pruning, importing and bulk updates, fewer and larger, announce
-- from inside their transactions (fieldpost_announce_entries).

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

-- The channels a batch of writes (as fieldpost_lock_channels takes them)
-- wrote to, announced.
CREATE FUNCTION fieldpost_announce_writes(keys text[], stations text[]) RETURNS void
LANGUAGE sql AS $$
  SELECT fieldpost_announce_entries(ARRAY(
    SELECT k.channel_id FROM fieldpost_keys k WHERE k.api_key = ANY (keys) AND k.kind = 2
    UNION
    SELECT s.channel_id FROM unnest(keys, stations) AS w(api_key, station)
      JOIN fieldpost_keys k ON k.api_key = w.api_key AND k.kind = 1
      JOIN fieldpost_stations s ON s.owner = k.user_name AND s.station = w.station));
$$;
