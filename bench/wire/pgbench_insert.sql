-- pgbench script of the wire benchmark's single-row INSERT (same as lyt_wire_bench --workload
-- insert). Run with -M prepared -D rows=<accounts rows> -D n=0: variables persist per client, so
-- :n counts this client's transactions and ids are :client_id * 2^32 + 1, + 2, ... as in LytDB.
\set n :n + 1
\set id :client_id * 4294967296 + :n
\set account random(1, :rows)
\set amount random(1, 1000)
INSERT INTO events (id, account, amount) VALUES (:id, :account, :amount);
