-- Version 4: fieldpost_lock_channels in PL/pgSQL, whose statements are
-- planned once per connection and then reused. As a LANGUAGE sql function
-- (version 1) its query was parsed and planned again on every call, once
-- per write batch: with four frontends batching on this project's 2-core
-- machine, 10 to 25% of the CPU a write costs, and 13 to 37% of the write
-- rate (bench A/B in the commit that added this). Same locks, same order.
CREATE OR REPLACE FUNCTION fieldpost_lock_channels(keys text[], stations text[])
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM fieldpost_channels c
    WHERE c.id IN (SELECT k.channel_id FROM fieldpost_keys k
                     WHERE k.api_key = ANY (keys) AND k.kind = 2
                   UNION
                   SELECT s.channel_id FROM unnest(keys, stations) AS w(api_key, station)
                     JOIN fieldpost_keys k ON k.api_key = w.api_key AND k.kind = 1
                     JOIN fieldpost_stations s ON s.owner = k.user_name
                                              AND s.station = w.station)
    ORDER BY c.id
    FOR UPDATE OF c;
END
$$;
