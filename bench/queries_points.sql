-- LytDB point-query workload: the events / users data of ../shared/bench (schema.sql,
-- gen_data.py), read and written a row or a few rows at a time through indexes: a lookup by
-- primary key, ranges and IN lists on an ordered index, an UPDATE by key. Same directive format
-- as ../shared/bench/queries.sql; portable SQL (SQLite, DuckDB, PostgreSQL). Each statement is
-- parsed and planned on every run by every engine (no prepared statements are kept).

-- @reset drop_user_index
DROP INDEX IF EXISTS events_user_idx;

-- @setup create_user_index
CREATE INDEX events_user_idx ON events (user_id);

-- @query p01_lookup_by_key
-- the primary key of users
SELECT user_id, country, age FROM users WHERE user_id = 4242;

-- @query p02_range_by_index
-- ten users' events through the ordered index (about 100 rows at 1M events, 1,000 at 10M)
SELECT COUNT(*) AS cnt, SUM(val) AS sum_val FROM events WHERE user_id BETWEEN 1000 AND 1009;

-- @query p03_in_list_by_index
SELECT COUNT(*) AS cnt, MAX(val) AS max_val FROM events WHERE user_id IN (7, 4242, 77777);

-- @query p04_update_by_key
-- idempotent, so that every engine ends with the same rows whatever its number of runs
UPDATE users SET age = 30 WHERE user_id = 4243;
