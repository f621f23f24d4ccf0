-- pgbench script of the wire benchmark's point SELECT (same as lyt_wire_bench --workload select).
-- Run with -M prepared -D rows=<accounts rows>.
\set id random(1, :rows)
SELECT id, balance, name FROM accounts WHERE id = :id;
