#!/usr/bin/env python3
"""The HTTP API (docs/http-api.md) against the real lytdb: every endpoint, auth failures, limits,
and docs/openapi.json against what the server answers.

    tests/http/test_http_api.py LYTDB_BINARY
"""
import base64
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest

LYTDB = None
SOURCE_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PASSWORD = "http-test-password"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, *flags):
        self.dir = tempfile.mkdtemp(prefix="lyt-http-")
        self.port = free_port()
        self.lyt_port = free_port()
        self.resp_port = free_port()
        env = dict(os.environ, LYT_ADMIN_PASSWORD=PASSWORD)
        self.log = open(os.path.join(self.dir, "out.log"), "w")
        self.process = subprocess.Popen(
            [LYTDB, "--data-dir", self.dir + "/data", "--listen", f"127.0.0.1:{self.lyt_port}",
             "--resp", f"127.0.0.1:{self.resp_port}",
             "--http", f"127.0.0.1:{self.port}", "--log-file", "", *flags],
            env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("lytdb did not start: " + self.output())

    def output(self):
        self.log.flush()
        with open(os.path.join(self.dir, "out.log")) as f:
            return f.read()

    def request(self, method, path, body=None, headers=None, raw=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        connection.request(method, path, body=data, headers=headers or {})
        response = connection.getresponse()
        payload = response.read()
        connection.close()
        content_type = response.getheader("Content-Type", "")
        parsed = json.loads(payload) if payload and content_type.startswith("application/json") else payload
        return response.status, parsed, response

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=20)
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def basic(user, password):
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


class HttpApiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server("--http-rate-limit", "50")
        status, body, _ = cls.server.request("POST", "/v1/login", {"user": "admin", "password": PASSWORD})
        assert status == 200, body
        cls.token = body["token"]
        cls.auth = {"Authorization": "Bearer " + cls.token}

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def query(self, sql, params=None, database=None, headers=None, **extra):
        body = {"sql": sql, **extra}
        if params is not None:
            body["params"] = params
        if database is not None:
            body["database"] = database
        return self.server.request("POST", "/v1/query", body, headers or self.auth)

    def test_health(self):
        self.assertEqual(self.server.request("GET", "/healthz")[:2], (200, {"status": "ok"}))
        self.assertEqual(self.server.request("GET", "/readyz")[:2], (200, {"status": "ready"}))

    def test_login_failures(self):
        status, body, response = self.server.request("POST", "/v1/login", {"user": "admin", "password": "wrong"})
        self.assertEqual(status, 401)
        self.assertEqual(body["error"]["code"], "28P01")
        self.assertIn("Bearer", response.getheader("WWW-Authenticate"))
        self.assertEqual(self.server.request("POST", "/v1/login", {"user": "admin"})[0], 400)
        self.assertEqual(self.server.request("POST", "/v1/login", raw="{not json")[0], 400)
        self.assertEqual(self.server.request("GET", "/v1/databases")[0], 401)
        self.assertEqual(self.server.request("GET", "/v1/databases", headers={"Authorization": "Bearer " + "0" * 64})[0], 401)
        self.assertEqual(self.server.request("GET", "/v1/databases", headers=basic("admin", "nope"))[0], 401)
        self.assertEqual(self.server.request("GET", "/v1/databases", headers={"Authorization": "Digest x"})[0], 401)
        self.assertIn('login failed for user "admin"', self.server.output())

    def test_query_types_params_and_errors(self):
        status, body, _ = self.query(
            "CREATE TABLE q (id INTEGER PRIMARY KEY, name TEXT, v DOUBLE, ok BOOLEAN, d DATE, b BLOB);"
            "INSERT INTO q VALUES (1, $1, 1.5, true, DATE '2024-05-01', '\\x00ff'::BLOB), (2, NULL, NULL, NULL, NULL, NULL)",
            ["tab\t\"quote\" é"])
        self.assertEqual(status, 200, body)
        self.assertEqual((body["rows_affected"], body["statements"], body["command"]), (2, 2, "INSERT 0 2"))
        status, body, _ = self.query("SELECT * FROM q WHERE id >= $1 ORDER BY id", [1])
        self.assertEqual(status, 200, body)
        self.assertEqual([c["name"] for c in body["columns"]], ["id", "name", "v", "ok", "d", "b"])
        self.assertEqual(body["columns"][0]["type"], "INTEGER")
        self.assertEqual(body["rows"], [[1, "tab\t\"quote\" é", 1.5, True, "2024-05-01", "\\x00ff"],
                                        [2, None, None, None, None, None]])
        self.assertIsInstance(body["elapsed_ms"], float)
        status, body, _ = self.query("SELEC 1")
        self.assertEqual((status, body["error"]["code"]), (400, "42601"))
        self.assertEqual(body["error"]["position"], {"line": 1, "column": 1})
        self.assertEqual(self.query("SELECT * FROM nope")[0], 404)
        self.assertEqual(self.query("INSERT INTO q VALUES (1, 'x', 0, false, NULL, NULL)")[0], 409)
        self.assertEqual(self.query("SELECT 1", database="nodb")[0], 404)
        self.assertEqual(self.query("SELECT 1/0")[1]["error"]["code"], "22012")
        self.assertEqual(self.server.request("POST", "/v1/query", {"params": []}, self.auth)[0], 400)
        self.assertEqual(self.server.request("POST", "/v1/query", {"sql": "SELECT $1", "params": [{}]}, self.auth)[0], 400)

    def test_transaction_rolls_back_on_error(self):
        self.assertEqual(self.query("CREATE TABLE tx (a INTEGER)")[0], 200)
        status, _, _ = self.query("INSERT INTO tx VALUES (1); INSERT INTO tx VALUES (1/0)", transaction=True)
        self.assertEqual(status, 400)
        self.assertEqual(self.query("SELECT count(*) FROM tx")[1]["rows"], [[0]])
        status, body, _ = self.query("INSERT INTO tx VALUES (1); INSERT INTO tx VALUES (2)", transaction=True)
        self.assertEqual(status, 200, body)
        self.assertEqual(self.query("SELECT count(*) FROM tx")[1]["rows"], [[2]])
        # Without a transaction, the statements before the error stay.
        self.query("INSERT INTO tx VALUES (3); SELECT 1/0")
        self.assertEqual(self.query("SELECT count(*) FROM tx")[1]["rows"], [[3]])

    def test_large_result_streams_chunked(self):
        status, body, response = self.query(
            "WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < 20000) SELECT i, repeat('x', 100) FROM g")
        self.assertEqual(status, 200, body)
        self.assertEqual(response.getheader("Transfer-Encoding"), "chunked")
        self.assertEqual(len(body["rows"]), 20000)
        self.assertEqual(body["rows"][-1][0], 20000)

    def test_browse(self):
        self.query("CREATE TABLE br (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT 'n'); CREATE INDEX br_name ON br (name);"
                   "INSERT INTO br VALUES (1, 'a'), (2, 'b'); CREATE VIEW brv AS SELECT id FROM br")
        status, body, _ = self.server.request("GET", "/v1/databases", headers=self.auth)
        self.assertEqual(status, 200)
        self.assertIn({"name": "main", "privilege": "ADMIN"}, body["databases"])
        tables = {t["name"]: t for t in self.server.request("GET", "/v1/databases/main/tables", headers=self.auth)[1]["tables"]}
        self.assertEqual(tables["br"], {"name": "br", "type": "table", "rows": 2})
        self.assertEqual(tables["brv"]["type"], "view")
        status, body, _ = self.server.request("GET", "/v1/databases/main/tables/br", headers=self.auth)
        self.assertEqual(status, 200)
        self.assertEqual(body["rows"], 2)
        self.assertEqual(body["columns"][0], {"name": "id", "type": "INTEGER", "nullable": False, "default": None, "primary_key": True})
        self.assertEqual(body["columns"][1]["default"], "'n'")
        self.assertIn({"name": "br_name", "columns": ["name"], "unique": False, "primary_key": False}, body["indexes"])
        self.assertEqual(self.server.request("GET", "/v1/databases/main/tables/none", headers=self.auth)[0], 404)
        self.assertEqual(self.server.request("GET", "/v1/databases/none/tables", headers=self.auth)[0], 404)

    def test_privileges(self):
        self.query("CREATE DATABASE other; CREATE USER reader WITH PASSWORD 'reader-pw'; GRANT READ ON DATABASE main TO reader")
        status, body, _ = self.server.request("POST", "/v1/login", {"user": "reader", "password": "reader-pw"})
        self.assertEqual(status, 200)
        self.assertFalse(body["superuser"])
        reader = {"Authorization": "Bearer " + body["token"]}
        names = [d["name"] for d in self.server.request("GET", "/v1/databases", headers=reader)[1]["databases"]]
        self.assertEqual(names, ["main"])
        self.assertEqual(self.server.request("GET", "/v1/databases/other/tables", headers=reader)[0], 403)
        status, body, _ = self.query("CREATE TABLE forbidden (a INTEGER)", headers=reader)
        self.assertEqual((status, body["error"]["code"]), (403, "42501"))
        self.assertEqual(self.query("SELECT 1", database="other", headers=reader)[0], 403)
        self.assertEqual(self.query("SELECT 1", headers=basic("reader", "reader-pw"))[0], 200)
        # A changed password ends the user's tokens.
        self.assertEqual(self.query("SELECT 2", headers=basic("reader", "reader-pw"))[0], 200)  # remembered
        # A changed password ends the user's tokens and remembered Basic credentials.
        self.query("ALTER USER reader WITH PASSWORD 'new-pw'")
        self.assertEqual(self.server.request("GET", "/v1/databases", headers=reader)[0], 401)
        self.assertEqual(self.query("SELECT 1", headers=basic("reader", "reader-pw"))[0], 401)
        self.assertEqual(self.query("SELECT 1", headers=basic("reader", "new-pw"))[0], 200)

    def test_logout_revokes(self):
        token = self.server.request("POST", "/v1/login", {"user": "admin", "password": PASSWORD})[1]["token"]
        auth = {"Authorization": "Bearer " + token}
        self.assertEqual(self.server.request("POST", "/v1/logout", headers=auth)[:2], (200, {"ok": True}))
        self.assertEqual(self.server.request("GET", "/v1/databases", headers=auth)[0], 401)

    def test_status_and_metrics(self):
        status, body, _ = self.server.request("GET", "/v1/status", headers=self.auth)
        self.assertEqual(status, 200)
        self.assertGreater(body["queries_total"], 0)
        self.assertEqual(len(body["query_latency_ms"]["bounds"]), len(body["query_latency_ms"]["counts"]))
        self.assertEqual(body["query_latency_ms"]["counts"][-1], body["queries_total"])
        self.assertGreaterEqual(body["connections"]["http"], 1)
        self.assertTrue(body["wal"]["enabled"])
        status, text, response = self.server.request("GET", "/metrics")
        self.assertEqual(status, 200)
        self.assertTrue(response.getheader("Content-Type").startswith("text/plain; version=0.0.4"))
        text = text.decode()
        for name in ["lytdb_statements_total{kind=\"select\",outcome=\"ok\"}", "lytdb_statement_duration_seconds_bucket",
                     "lytdb_wal_fsync_duration_seconds_count", "lytdb_checkpoint_duration_seconds_count",
                     "lytdb_connections{frontend=\"http\"}", "lytdb_network_received_bytes_total{frontend=\"http\"}",
                     "lytdb_login_failures_total{frontend=\"http\"}", "lytdb_memory_bytes{kind=\"resident\"}",
                     "lytdb_wal_bytes_since_checkpoint", "lytdb_rows_scanned_total",
                     "lytdb_memory_bytes{kind=\"tables\"}", "lytdb_memory_bytes{kind=\"indexes\"}",
                     "lytdb_memory_bytes{kind=\"kv\"}"]:
            self.assertIn(name, text)

    def metric(self, sample):
        text = self.server.request("GET", "/metrics")[1].decode()
        for line in text.splitlines():
            if line.startswith(sample + " "):
                return float(line.split()[1])
        self.fail(f"no sample {sample} in /metrics")

    def test_metrics_count_scans_bytes_and_table_memory(self):
        self.assertEqual(self.query("CREATE TABLE scanned (id INTEGER PRIMARY KEY, s TEXT)")[0], 200)
        self.assertEqual(self.query("INSERT INTO scanned SELECT 1, 'x'")[0], 200)
        self.assertEqual(self.query("INSERT INTO scanned SELECT id + 1, s FROM scanned")[0], 200)
        for _ in range(5):  # 64 rows
            self.assertEqual(self.query("INSERT INTO scanned SELECT id + (SELECT max(id) FROM scanned), s FROM scanned")[0], 200)
        before = self.metric("lytdb_rows_scanned_total")
        status, body, _ = self.query("SELECT count(*) FROM scanned WHERE s = 'x'")
        self.assertEqual((status, body["rows"]), (200, [[64]]))
        self.assertEqual(self.metric("lytdb_rows_scanned_total") - before, 64)
        before = self.metric("lytdb_rows_scanned_total")
        self.assertEqual(self.query("SELECT s FROM scanned WHERE id = 7")[1]["rows"], [["x"]])
        self.assertEqual(self.metric("lytdb_rows_scanned_total") - before, 1)  # the primary key's lookup
        self.assertGreater(self.metric('lytdb_memory_bytes{kind="tables"}'), 64 * 4)
        self.assertGreater(self.server.request("GET", "/v1/status", headers=self.auth)[1]["memory"]["table_bytes"], 0)

    def test_memory_by_component(self):
        def memory():
            return self.server.request("GET", "/v1/status", headers=self.auth)[1]["memory"]
        self.assertEqual(self.query("CREATE TABLE indexed (id INTEGER, name TEXT)")[0], 200)
        self.assertEqual(self.query("INSERT INTO indexed WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g "
                                    "WHERE i < 10000) SELECT i, 'a name long enough for the heap ' || i FROM g")[0], 200)
        before = memory()["index_bytes"]
        self.assertEqual(self.query("CREATE UNIQUE INDEX indexed_id ON indexed (id)")[0], 200)
        self.assertEqual(self.query("CREATE INDEX indexed_name ON indexed (name)")[0], 200)
        grown = memory()["index_bytes"] - before
        # 10,000 keys of 8 bytes in the hash index, and 10,000 names of over 32 bytes in the tree.
        self.assertGreater(grown, 10000 * (16 + 32))
        self.assertEqual(self.metric('lytdb_memory_bytes{kind="indexes"}') - before, grown)
        self.assertEqual(self.query("DROP INDEX indexed_name")[0], 200)
        self.assertLess(memory()["index_bytes"] - before, grown)

        before = memory()["kv_bytes"]
        value = "v" * 1000
        commands = f"AUTH admin {PASSWORD}\r\n" + "".join(f"SET key:{i} {value}\r\n" for i in range(100))
        with socket.create_connection(("127.0.0.1", self.server.resp_port), timeout=10) as s:
            s.sendall(commands.encode())
            replies = b""
            while replies.count(b"+OK\r\n") < 101:
                chunk = s.recv(65536)
                self.assertTrue(chunk, replies)
                replies += chunk
            self.assertGreater(memory()["kv_bytes"] - before, 100 * 1000)
            self.assertEqual(self.metric('lytdb_memory_bytes{kind="kv"}'), memory()["kv_bytes"])
            s.sendall(b"FLUSHDB\r\n")
            self.assertEqual(s.recv(100), b"+OK\r\n")
        self.assertLess(memory()["kv_bytes"] - before, 100 * 1000)
        # Each front end's bytes: a Redis PING, and a lyt frame of unknown type 0 (answered by ERROR).
        for frontend, port, payload in [("redis", self.server.resp_port, b"PING\r\n"),
                                        ("lyt", self.server.lyt_port, bytes(9))]:
            received = self.metric(f'lytdb_network_received_bytes_total{{frontend="{frontend}"}}')
            sent = self.metric(f'lytdb_network_sent_bytes_total{{frontend="{frontend}"}}')
            with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
                s.sendall(payload)
                self.assertTrue(s.recv(4096), frontend)
            self.assertGreaterEqual(self.metric(f'lytdb_network_received_bytes_total{{frontend="{frontend}"}}') - received,
                                    len(payload), frontend)
            self.assertGreater(self.metric(f'lytdb_network_sent_bytes_total{{frontend="{frontend}"}}'), sent, frontend)

    def test_limits(self):
        # A body over http_max_body_bytes (16 MiB) is refused from its Content-Length, before it is sent.
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=10) as s:
            s.sendall(b"POST /v1/query HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n{" % (17 << 20))
            reply = s.recv(4096)
            self.assertIn(b"413", reply.split(b"\r\n")[0])
            self.assertIn(b"54000", reply)
        status, _, _ = self.server.request("GET", "/healthz", headers={"X-Big": "y" * 20000})
        self.assertEqual(status, 431)
        self.assertEqual(self.server.request("DELETE", "/v1/query", headers=self.auth)[0], 405)
        self.assertEqual(self.server.request("GET", "/no/such/path")[0], 404)
        # Garbage instead of HTTP: a 400, and the server goes on.
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=10) as s:
            s.sendall(b"\x01\x02garbage\r\n\r\n")
            self.assertIn(b"400", s.recv(4096))
        self.assertEqual(self.server.request("GET", "/healthz")[0], 200)

    def test_rate_limit(self):
        token = self.server.request("POST", "/v1/login", {"user": "admin", "password": PASSWORD})[1]["token"]
        auth = {"Authorization": "Bearer " + token}
        statuses = []
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        for _ in range(300):  # the limit is 50/s with bursts of 100: some must be refused
            connection.request("GET", "/v1/databases", headers=auth)
            response = connection.getresponse()
            response.read()
            statuses.append(response.status)
            if response.status == 429:
                self.assertGreaterEqual(int(response.getheader("Retry-After")), 1)
                break
        connection.close()
        self.assertIn(429, statuses)

    def test_openapi_matches_the_server(self):
        with open(os.path.join(SOURCE_DIR, "docs", "openapi.json")) as f:
            document = json.load(f)
        status, served, _ = self.server.request("GET", "/v1/openapi.json")
        self.assertEqual(status, 200)
        self.assertEqual(served, document)
        self.query("CREATE TABLE IF NOT EXISTS oa (a INTEGER)")
        listed = set()
        for path, operations in document["paths"].items():
            for method, operation in operations.items():
                listed.add((method.upper(), path))
                concrete = path.replace("{db}", "main").replace("{table}", "oa")
                body = {"user": "admin", "password": PASSWORD} if path == "/v1/login" else ({"sql": "SELECT 1"} if method == "post" else None)
                headers = {} if path == "/v1/logout" else self.auth
                if path == "/v1/logout":
                    token = self.server.request("POST", "/v1/login", {"user": "admin", "password": PASSWORD})[1]["token"]
                    headers = {"Authorization": "Bearer " + token}
                status, reply, _ = self.server.request(method.upper(), concrete, body, headers)
                self.assertEqual(status, 200, (method, path, reply))
                schema = operation["responses"]["200"]["content"]
                json_schema = schema.get("application/json", {}).get("schema", {})
                for key in json_schema.get("required", []):
                    self.assertIn(key, reply, (path, key))
        # Every path the server routes is documented: an undocumented one would answer 405 with Allow.
        for method, path in listed:
            for other in ["GET", "POST"]:
                if (other, path) in listed:
                    continue
                concrete = path.replace("{db}", "main").replace("{table}", "oa")
                status, _, response = self.server.request(other, concrete, None, self.auth)
                self.assertIn(status, (404, 405), (other, path))
                if status == 405:
                    allowed = {m.strip() for m in response.getheader("Allow").split(",")}
                    self.assertEqual(allowed, {m for m, p in listed if p == path})


if __name__ == "__main__":
    LYTDB = sys.argv.pop(1)
    unittest.main(verbosity=2)
