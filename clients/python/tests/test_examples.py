"""The examples of examples/python run against the real lytdb, each in a process of its own."""

import csv
import io
import os
import subprocess
import sys
import unittest

try:
    from . import support
except ImportError:
    import support

EXAMPLES = os.path.join(support.SOURCE_DIR, "examples", "python")


class ExamplesTest(unittest.TestCase):
    def run_example(self, name, *args):
        server = support.shared_server()
        env = dict(os.environ, LYT_URI="lyt://admin@%s:%d/main" % (server.host, server.port),
                   LYT_PASSWORD=support.PASSWORD,
                   PYTHONPATH=os.pathsep.join(filter(None, [support.CLIENT_DIR, os.environ.get("PYTHONPATH")])))
        done = subprocess.run([sys.executable, os.path.join(EXAMPLES, name), *args], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, timeout=120)
        self.assertEqual(done.returncode, 0, done.stderr)
        return done.stdout

    def test_basic(self):
        out = self.run_example("basic.py")
        self.assertIn("inserted 2 rows", out)
        self.assertIn("['id', 'name', 'joined']", out)
        self.assertIn("2 grace 1952-05-01", out)

    def test_transactions(self):
        out = self.run_example("transactions.py")
        self.assertIn("after transfer: {'alice': 70, 'bob': 50}", out)
        self.assertIn("refused: insufficient funds", out)
        self.assertIn("after refused transfer: {'alice': 70, 'bob': 50}", out)
        self.assertIn("transaction status with autocommit: I", out)

    def test_bulk_insert(self):
        out = self.run_example("bulk_insert.py", self.uri(), "3000")  # the URI as an argument
        self.assertIn("inserted 3000 rows", out)
        self.assertIn("sensor-0 300 ", out)

    def test_csv_export(self):
        self.run_example("basic.py")
        out = self.run_example("csv_export.py", self.uri(), "SELECT id, name, NULL AS nothing FROM example_users ORDER BY id")
        self.assertEqual(list(csv.reader(io.StringIO(out))), [["id", "name", "nothing"], ["1", "ada", ""],
                                                              ["2", "grace", ""]])

    @staticmethod
    def uri():
        server = support.shared_server()
        return "lyt://admin:%s@%s:%d/main" % (support.PASSWORD, server.host, server.port)


if __name__ == "__main__":
    unittest.main()
