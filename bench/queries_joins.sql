-- LytDB joins and subqueries workload: the events / users data of ../shared/bench (schema.sql,
-- gen_data.py), queried with joins and correlated subqueries. Same directive format as
-- ../shared/bench/queries.sql (see its header); portable SQL (SQLite, DuckDB, PostgreSQL).
-- Engines that run a correlated subquery once per outer row take hours on these at 1M rows:
-- bench.mjs stops SQLite queries after --sqlite-timeout seconds.

-- @query j01_scalar_count
-- correlated scalar aggregate in the select list: every user's event count (0 for none)
SELECT u.user_id, (SELECT COUNT(*) FROM events e WHERE e.user_id = u.user_id) AS n_events
FROM users u ORDER BY 2 DESC, 1 LIMIT 10;

-- @query j02_exists
-- correlated EXISTS: users with an event above 999 (0.1% of events)
SELECT COUNT(*) AS n_users FROM users u
WHERE EXISTS (SELECT 1 FROM events e WHERE e.user_id = u.user_id AND e.val > 999.0);

-- @query j03_not_exists
-- correlated NOT EXISTS: users without an event in groups 0..9 (1% of events)
SELECT COUNT(*) AS n_users FROM users u
WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.user_id = u.user_id AND e.grp < 10);

-- @query j04_in_subquery
-- uncorrelated IN: events of users under 25
SELECT COUNT(*) AS cnt, SUM(val) AS sum_val FROM events
WHERE user_id IN (SELECT user_id FROM users WHERE age < 25);

-- @query j05_in_correlated
-- correlated IN: users one of whose events has a group equal to their age
SELECT COUNT(*) AS n_users FROM users u
WHERE u.age IN (SELECT e.grp FROM events e WHERE e.user_id = u.user_id);

-- @query j06_above_user_avg
-- correlated comparison: events whose val exceeds their user's average
SELECT COUNT(*) AS cnt FROM events e
WHERE e.val > (SELECT AVG(e2.val) FROM events e2 WHERE e2.user_id = e.user_id);

-- @query j07_three_way_join
-- events joined to users and to per-group averages (a derived table)
SELECT u.country, COUNT(*) AS cnt, SUM(e.val) AS sum_val
FROM events e
JOIN users u ON e.user_id = u.user_id
JOIN (SELECT grp, AVG(val) AS avg_val FROM events GROUP BY grp) g ON e.grp = g.grp
WHERE e.val > g.avg_val
GROUP BY u.country ORDER BY u.country;

-- @query j08_self_join
-- self-join: pairs of users of the same country and age
SELECT COUNT(*) AS pairs FROM users a
JOIN users b ON a.country = b.country AND a.age = b.age
WHERE a.user_id < b.user_id;
