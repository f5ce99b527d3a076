-- Version 2: channel changes are announced, so that frontends may keep
-- channel records in memory (storage/postgres/channel_cache.h). A change
-- of a channel's settings, keys or owner, or its deletion, notifies
-- `fieldpost_channel_changes` with the channel id when its transaction
-- commits. The writes' own updates (last_entry_id, used_fields,
-- last_write) name none of these columns and announce nothing.

CREATE FUNCTION fieldpost_channel_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('fieldpost_channel_changes', OLD.id::text);
  RETURN NULL;
END
$$;

CREATE TRIGGER fieldpost_channel_changed
  AFTER UPDATE OF id, name, description, field1_name, field2_name, field3_name, field4_name,
                  field5_name, field6_name, field7_name, field8_name, is_public, latitude,
                  longitude, elevation, metadata, tags, url, min_write_interval_s,
                  retention_days, write_key, read_key, owner, station, created_at
  ON fieldpost_channels
  FOR EACH ROW EXECUTE FUNCTION fieldpost_channel_changed();

CREATE TRIGGER fieldpost_channel_deleted
  AFTER DELETE ON fieldpost_channels
  FOR EACH ROW EXECUTE FUNCTION fieldpost_channel_changed();
