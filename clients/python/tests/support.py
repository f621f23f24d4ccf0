"""Test support: the real lytdb on a free loopback port, started once per test run.

The binary comes from the environment variable LYTDB_BINARY (ctest sets it), else
build/dev/tools/lytdb of the repository, else ``lytdb`` on PATH; without one, the tests that need a
server are skipped. Every server runs with a temporary data directory, TLS offered (self-signed
certificate), a per-query memory limit and a statement timeout, and is stopped at exit (and if
this process dies: PR_SET_PDEATHSIG).
"""

import atexit
import ctypes
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

CLIENT_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE_DIR = os.path.dirname(os.path.dirname(CLIENT_DIR))
if CLIENT_DIR not in sys.path:
    sys.path.insert(0, CLIENT_DIR)

PASSWORD = "py-client-test-password"
# Runs for about 4 s, then fails on its own (54000); checks for cancel on every round.
LONG_QUERY = ("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 50000000) "
              "SELECT count(*) FROM r")


def binary():
    """The lytdb to test, or None."""
    candidates = [os.environ.get("LYTDB_BINARY"), os.path.join(SOURCE_DIR, "build", "dev", "tools", "lytdb"),
                  shutil.which("lytdb")]
    for path in candidates:
        if path and os.access(path, os.X_OK):
            return path
    return None


def _die_with_parent():
    """In the child: SIGTERM when the test process goes away (Linux; best effort elsewhere)."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Server:
    """A lytdb process on 127.0.0.1 with a port of its own (read from its log)."""

    def __init__(self, *flags, listen="127.0.0.1:0", tls=True):
        path = binary()
        if path is None:
            raise unittest.SkipTest("no lytdb binary: set LYTDB_BINARY")
        self.dir = tempfile.mkdtemp(prefix="lyt-py-")
        self.log_path = os.path.join(self.dir, "out.log")
        self.log = open(self.log_path, "w")
        env = dict(os.environ, LYT_ADMIN_PASSWORD=PASSWORD)
        self.process = subprocess.Popen(
            [path, "--data-dir", os.path.join(self.dir, "data"), "--listen", listen, "--resp", "127.0.0.1:0",
             "--http", "127.0.0.1:0", "--log-file", "", "--tls-self-signed", "true" if tls else "false", "--memory-limit", "1GB",
             "--statement-timeout-ms", "60000", "--io-threads", "1", "--worker-threads", "2", *flags],
            env=env, stdout=self.log, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent)
        self.host, self.port = self._wait_listening(listen.rsplit(":", 1)[0])
        self.ca_file = os.path.join(self.dir, "data", "tls", "server.crt")

    def _wait_listening(self, host):
        deadline = time.monotonic() + 20
        pattern = re.compile(r"listening on (\S+):(\d+) \(lyt protocol")
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            match = pattern.search(self.output())
            if match:
                return host, int(match.group(2))
            time.sleep(0.02)
        output = self.output()
        self.stop()
        raise RuntimeError("lytdb did not start: " + output)

    def output(self):
        self.log.flush()
        with open(self.log_path) as f:
            return f.read()

    def uri(self, user="admin", password=PASSWORD, database="main", options=""):
        return "lyt://%s:%s@%s:%d/%s%s" % (user, password, self.host, self.port, database,
                                          "?" + options if options else "")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=20)
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


_shared = None


def shared_server():
    """The server shared by the whole run (stopped at exit)."""
    global _shared
    if _shared is None:
        _shared = Server()
        atexit.register(_shared.stop)
    return _shared


def connect(**kwargs):
    """A connection to the shared server, with a query timeout so that no test waits forever."""
    import lytdb
    kwargs.setdefault("connect_timeout", 10)
    kwargs.setdefault("query_timeout", 30)
    options = kwargs.pop("options", "")
    return lytdb.connect(shared_server().uri(options=options), **kwargs)


_tables = iter(range(1, 1 << 30))


def table_name(prefix="t"):
    """A table name no other test uses (tests share one server)."""
    return "%s_%d_%d" % (prefix, os.getpid(), next(_tables))


class ServerTest(unittest.TestCase):
    """Tests sharing one autocommit connection to the shared server, ``cls.conn``."""

    @classmethod
    def setUpClass(cls):
        cls.conn = connect(autocommit=True)

    @classmethod
    def tearDownClass(cls):
        cls.conn.close()

    @classmethod
    def create_table(cls, columns, prefix="t"):
        """A new table with ``columns`` (SQL); returns its name."""
        name = table_name(prefix)
        cls.conn.cursor().execute("CREATE TABLE %s (%s)" % (name, columns))
        return name
