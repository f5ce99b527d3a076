-- fieldpost's schema on PostgreSQL, version 1. fieldpost applies it itself
-- (storage/postgres/schema_migrations.cc): in one transaction, under an
-- advisory lock, so several frontends starting at once apply it once.
--
-- Times are timestamptz in whole seconds. Every table that holds a
-- channel's rows has channel_id first: on Citus, distribute by it and keep
-- the small tables beside it, e.g.
--   SELECT create_reference_table('fieldpost_users');
--   SELECT create_reference_table('fieldpost_keys');
--   SELECT create_reference_table('fieldpost_stations');
--   SELECT create_reference_table('fieldpost_counters');
--   SELECT create_distributed_table('fieldpost_channels', 'id');
--   SELECT create_distributed_table('fieldpost_entries', 'channel_id',
--                                   colocate_with => 'fieldpost_channels');
-- The functions below then run on the channel's worker when called with
-- the channel's key (create_distributed_function ... distribution_arg_name).

CREATE TABLE fieldpost_users (
  name text PRIMARY KEY,
  api_key text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL
);

CREATE TABLE fieldpost_channels (
  id integer PRIMARY KEY,
  name text NOT NULL DEFAULT '',
  description text NOT NULL DEFAULT '',
  field1_name text NOT NULL DEFAULT '',
  field2_name text NOT NULL DEFAULT '',
  field3_name text NOT NULL DEFAULT '',
  field4_name text NOT NULL DEFAULT '',
  field5_name text NOT NULL DEFAULT '',
  field6_name text NOT NULL DEFAULT '',
  field7_name text NOT NULL DEFAULT '',
  field8_name text NOT NULL DEFAULT '',
  is_public boolean NOT NULL DEFAULT false,
  latitude text NOT NULL DEFAULT '',
  longitude text NOT NULL DEFAULT '',
  elevation text NOT NULL DEFAULT '',
  metadata text NOT NULL DEFAULT '',
  tags text NOT NULL DEFAULT '',
  url text NOT NULL DEFAULT '',
  min_write_interval_s integer NOT NULL DEFAULT 0,
  retention_days integer NOT NULL DEFAULT 0,
  write_key text NOT NULL,
  read_key text NOT NULL,
  owner text NOT NULL DEFAULT '',
  station text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL,
  -- Kept by the writes, under this row's lock: the highest entry id given
  -- (ids are gapless: taken inside the writing transaction), bit i set once
  -- field i+1 held a value, and the last write a write interval counts from.
  last_entry_id bigint NOT NULL DEFAULT 0,
  used_fields smallint NOT NULL DEFAULT 0,
  last_write timestamptz
);

-- Every API key, a user's or a channel's, in one namespace: a key names
-- one owner. kind: 1 user, 2 write, 3 read (core/model.h's KeyKind).
CREATE TABLE fieldpost_keys (
  api_key text PRIMARY KEY,
  kind smallint NOT NULL,
  user_name text NOT NULL DEFAULT '',
  channel_id integer NOT NULL DEFAULT 0
);

-- The channel a user's station writes to, made on its first reading.
CREATE TABLE fieldpost_stations (
  owner text NOT NULL,
  station text NOT NULL,
  channel_id integer NOT NULL,
  PRIMARY KEY (owner, station)
);

-- next_channel_id; last_prune_pass (seconds), one background pass per
-- interval across every frontend.
CREATE TABLE fieldpost_counters (
  name text PRIMARY KEY,
  value bigint NOT NULL
);
INSERT INTO fieldpost_counters VALUES ('next_channel_id', 1), ('last_prune_pass', 0);

-- The readings, spread over 16 partitions by channel: a channel's rows,
-- its primary key and its time index are in one partition.
CREATE TABLE fieldpost_entries (
  channel_id integer NOT NULL,
  entry_id bigint NOT NULL,
  created_at timestamptz NOT NULL,
  field1 text,
  field2 text,
  field3 text,
  field4 text,
  field5 text,
  field6 text,
  field7 text,
  field8 text,
  latitude text,
  longitude text,
  elevation text,
  status text,
  PRIMARY KEY (channel_id, entry_id)
) PARTITION BY HASH (channel_id);

DO $$
BEGIN
  FOR part IN 0..15 LOOP
    EXECUTE format('CREATE TABLE fieldpost_entries_%s PARTITION OF fieldpost_entries '
                   'FOR VALUES WITH (MODULUS 16, REMAINDER %s)', part, part);
  END LOOP;
END
$$;

-- Last values and time windows: newest first within a channel.
CREATE INDEX fieldpost_entries_by_time ON fieldpost_entries (channel_id, created_at, entry_id);

-- One /update, checked and stored inside the caller's transaction; the
-- frontends send a batch of these in one pipeline. Returns code 0 with the
-- stored entry, or a rejection that changed nothing: 1 invalid argument,
-- 2 unauthorized, 8 too many requests (core/status.h's StatusCode order).
-- The channel row is locked before anything is read, so two frontends
-- writing one channel take turns and entry ids stay gapless; the caller
-- locks a batch's channels in ascending id order first
-- (fieldpost_lock_channels), so two batches never deadlock.
-- new_write_key and new_read_key are fresh keys for a station's channel
-- made on its first reading.
CREATE FUNCTION fieldpost_append(
    api_key text, station text, given_at bigint,
    f1 text, f2 text, f3 text, f4 text, f5 text, f6 text, f7 text, f8 text,
    lat text, lon text, elev text, status text,
    new_write_key text, new_read_key text,
    OUT code integer, OUT message text, OUT channel_id integer, OUT entry_id bigint,
    OUT created_at bigint)
LANGUAGE plpgsql AS $$
DECLARE
  key_row fieldpost_keys;
  channel fieldpost_channels;
  -- The clock, not the transaction's start, read under the channel's lock
  -- (below): of two writes to one channel, the one with the higher entry
  -- id never has the earlier time.
  now_at timestamptz := date_trunc('second', clock_timestamp());
  stored_at timestamptz;
  fields text[] := ARRAY[f1, f2, f3, f4, f5, f6, f7, f8];
  mask integer := 0;
BEGIN
  code := 0;
  IF api_key = '' THEN
    code := 2; message := 'missing API key'; RETURN;
  END IF;
  SELECT * INTO key_row FROM fieldpost_keys k WHERE k.api_key = fieldpost_append.api_key;
  IF NOT FOUND THEN
    code := 2; message := 'unknown API key'; RETURN;
  END IF;
  IF key_row.kind = 3 THEN
    code := 2; message := 'a read API key cannot write'; RETURN;
  END IF;
  IF key_row.kind = 2 THEN
    channel_id := key_row.channel_id;
  ELSE
    IF station = '' THEN
      code := 2;
      message := 'a user API key writes only with the path form and mac=STATION';
      RETURN;
    END IF;
    SELECT s.channel_id INTO channel_id FROM fieldpost_stations s
      WHERE s.owner = key_row.user_name AND s.station = fieldpost_append.station;
    IF NOT FOUND THEN
      -- First reading from this station: its channel is public so that
      -- anyone can read the station back; the owner can change that.
      channel_id := fieldpost_create_channel(station, key_row.user_name, station, true,
                                             new_write_key, new_read_key, now_at);
      IF channel_id IS NULL THEN
        code := 1; message := 'could not draw unused API keys, try again'; RETURN;
      END IF;
    END IF;
  END IF;
  SELECT * INTO channel FROM fieldpost_channels c WHERE c.id = channel_id FOR UPDATE;
  IF NOT FOUND THEN
    code := 2; message := 'unknown API key'; RETURN;
  END IF;
  -- Read again once the lock is surely held (a station's channel is not
  -- among those locked beforehand).
  now_at := date_trunc('second', clock_timestamp());
  -- ThingSpeak requires a given created_at to be unique in the channel.
  IF given_at IS NOT NULL THEN
    stored_at := to_timestamp(given_at);
    IF EXISTS (SELECT 1 FROM fieldpost_entries e
               WHERE e.channel_id = channel.id AND e.created_at = stored_at) THEN
      code := 1; message := 'created_at is already used by an entry of this channel'; RETURN;
    END IF;
  ELSE
    stored_at := now_at;
  END IF;
  IF channel.min_write_interval_s > 0 AND channel.last_write IS NOT NULL AND
     now_at < channel.last_write + make_interval(secs => channel.min_write_interval_s) THEN
    code := 8;
    message := 'the channel takes one write every ' || channel.min_write_interval_s || ' s';
    RETURN;
  END IF;
  FOR i IN 1..8 LOOP
    IF fields[i] IS NOT NULL THEN mask := mask | (1 << (i - 1)); END IF;
  END LOOP;
  entry_id := channel.last_entry_id + 1;
  UPDATE fieldpost_channels c SET
      last_entry_id = fieldpost_append.entry_id,
      used_fields = c.used_fields | mask,
      last_write = CASE WHEN c.min_write_interval_s > 0 THEN now_at ELSE c.last_write END
    WHERE c.id = channel.id;
  INSERT INTO fieldpost_entries VALUES (channel.id, entry_id, stored_at, f1, f2, f3, f4, f5, f6, f7, f8,
                                        lat, lon, elev, status);
  created_at := extract(epoch FROM stored_at)::bigint;
END
$$;

-- Makes a channel with the given keys and the next id; NULL (and nothing
-- made) when a key is taken.
CREATE FUNCTION fieldpost_create_channel(
    name text, owner text, station text, is_public boolean,
    write_key text, read_key text, now_at timestamptz)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  id integer;
BEGIN
  IF write_key = read_key OR EXISTS (SELECT 1 FROM fieldpost_keys k
                                     WHERE k.api_key IN (write_key, read_key)) THEN
    RETURN NULL;
  END IF;
  UPDATE fieldpost_counters ct SET value = ct.value + 1 WHERE ct.name = 'next_channel_id'
    RETURNING ct.value - 1 INTO id;
  INSERT INTO fieldpost_channels (id, name, is_public, write_key, read_key, owner, station,
                                  created_at)
    VALUES (id, name, is_public, write_key, read_key, owner, station, now_at);
  INSERT INTO fieldpost_keys VALUES (write_key, 2, '', id), (read_key, 3, '', id);
  IF station <> '' THEN
    INSERT INTO fieldpost_stations VALUES (owner, station, id);
  END IF;
  RETURN id;
END
$$;

-- Locks the channels the keys write to, in ascending id order, before a
-- batch's first write (see fieldpost_append). Station channels not made
-- yet are not locked: their first reading locks the channel counter.
CREATE FUNCTION fieldpost_lock_channels(keys text[], stations text[])
RETURNS void
LANGUAGE sql AS $$
  SELECT 1 FROM fieldpost_channels c
    WHERE c.id IN (SELECT k.channel_id FROM fieldpost_keys k
                     WHERE k.api_key = ANY (keys) AND k.kind = 2
                   UNION
                   SELECT s.channel_id FROM unnest(keys, stations) AS w(api_key, station)
                     JOIN fieldpost_keys k ON k.api_key = w.api_key AND k.kind = 1
                     JOIN fieldpost_stations s ON s.owner = k.user_name
                                              AND s.station = w.station)
    ORDER BY c.id
    FOR UPDATE OF c;
$$;
