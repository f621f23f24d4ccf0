"""PEP 249 behaviour against the real lytdb: module globals, cursors, fetching, parameters."""

import unittest

try:
    from . import support
except ImportError:
    import support

import lytdb


class ModuleTest(unittest.TestCase):
    def test_globals(self):
        self.assertEqual(lytdb.apilevel, "2.0")
        self.assertEqual(lytdb.threadsafety, 1)
        self.assertEqual(lytdb.paramstyle, "qmark")

    def test_exception_hierarchy(self):
        self.assertTrue(issubclass(lytdb.Error, Exception))
        self.assertTrue(issubclass(lytdb.Warning, Exception))
        self.assertTrue(issubclass(lytdb.InterfaceError, lytdb.Error))
        self.assertTrue(issubclass(lytdb.DatabaseError, lytdb.Error))
        for name in ("DataError", "OperationalError", "IntegrityError", "InternalError", "ProgrammingError",
                     "NotSupportedError"):
            self.assertTrue(issubclass(getattr(lytdb, name), lytdb.DatabaseError), name)

    def test_type_objects(self):
        self.assertEqual(lytdb.NUMBER, 4)
        self.assertEqual(lytdb.STRING, 7)
        self.assertNotEqual(lytdb.STRING, 8)
        self.assertEqual(lytdb.BINARY, 8)
        self.assertEqual(lytdb.DATETIME, 10)
        self.assertNotEqual(lytdb.ROWID, 4)
        self.assertEqual(lytdb.Binary(bytearray(b"ab")), b"ab")
        self.assertEqual(lytdb.Date(2024, 1, 2).isoformat(), "2024-01-02")
        self.assertEqual(lytdb.Timestamp(2024, 1, 2, 3, 4, 5).hour, 3)
        self.assertEqual(lytdb.DateFromTicks(0), lytdb.Date.fromtimestamp(0))
        self.assertIsInstance(lytdb.TimestampFromTicks(0), lytdb.Timestamp)
        self.assertIsInstance(lytdb.TimeFromTicks(0), lytdb.Time)


class CursorTest(support.ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.table = cls.create_table("id INTEGER PRIMARY KEY, name VARCHAR(20), score DOUBLE", "people")
        cls.conn.cursor().executemany("INSERT INTO %s VALUES (?, ?, ?)" % cls.table,
                                      [(i, "p%d" % i, i * 1.5) for i in range(1, 11)])

    def test_description_and_fetches(self):
        cur = self.conn.cursor()
        self.assertIsNone(cur.description)
        self.assertEqual(cur.rowcount, -1)
        self.assertEqual(cur.arraysize, 1)
        self.assertIs(cur.execute("SELECT id, name, score FROM %s ORDER BY id" % self.table), cur)
        self.assertEqual(cur.description, [("id", 3, None, None, None, None, None),
                                           ("name", 7, None, 20, None, None, None),
                                           ("score", 6, None, None, None, None, None)])
        self.assertEqual(cur.description[0][1], lytdb.NUMBER)
        self.assertEqual(cur.description[1][1], lytdb.STRING)
        self.assertEqual(cur.fetchone(), (1, "p1", 1.5))
        self.assertEqual(cur.fetchmany(), [(2, "p2", 3.0)])
        cur.arraysize = 3
        self.assertEqual([r[0] for r in cur.fetchmany()], [3, 4, 5])
        self.assertEqual([r[0] for r in cur.fetchmany(2)], [6, 7])
        self.assertEqual([r[0] for r in cur.fetchall()], [8, 9, 10])
        self.assertEqual(cur.rowcount, 10)
        self.assertEqual(cur.statusmessage, "SELECT 10")
        self.assertIsNone(cur.fetchone())
        self.assertEqual(cur.fetchmany(5), [])
        self.assertEqual(cur.fetchall(), [])

    def test_iteration_and_context_manager(self):
        with self.conn.cursor() as cur:
            cur.execute("SELECT id FROM %s WHERE id <= ? ORDER BY id" % self.table, [3])
            self.assertEqual([row[0] for row in cur], [1, 2, 3])
        self.assertTrue(cur.closed)
        with self.assertRaises(lytdb.InterfaceError):
            cur.execute("SELECT 1")
        with self.assertRaises(lytdb.InterfaceError):
            cur.fetchone()

    def test_rowcount_of_changes(self):
        cur = self.conn.cursor()
        cur.execute("UPDATE %s SET score = score WHERE id > ?" % self.table, (7,))
        self.assertEqual((cur.rowcount, cur.statusmessage, cur.description), (3, "UPDATE 3", None))
        with self.assertRaises(lytdb.ProgrammingError):
            cur.fetchone()  # no result set

    def test_parameters_qmark_and_numbered(self):
        cur = self.conn.cursor()
        cur.execute("SELECT ? + 1, ?", (41, "x"))
        self.assertEqual(cur.fetchall(), [(42, "x")])
        cur.execute("SELECT $2, $1", ("a", "b"))
        self.assertEqual(cur.fetchall(), [("b", "a")])
        cur.execute("SELECT '?' || ?", ["!"])  # a ? inside a string literal is text
        self.assertEqual(cur.fetchone(), ("?!",))
        with self.assertRaises(lytdb.ProgrammingError):
            cur.execute("SELECT ?", {"a": 1})
        with self.assertRaises(lytdb.ProgrammingError):
            cur.execute("SELECT ?", "a")

    def test_values_are_never_spliced_into_the_text(self):
        cur = self.conn.cursor()
        evil = "'); DROP TABLE p;--"  # fits VARCHAR(20)
        cur.execute("SELECT count(*) FROM %s WHERE name = ?" % self.table, (evil,))
        self.assertEqual(cur.fetchone(), (0,))
        cur.execute("SELECT count(*) FROM %s" % self.table)
        self.assertEqual(cur.fetchone(), (10,))

    def test_several_statements(self):
        cur = self.conn.cursor()
        t = support.table_name()
        cur.execute("CREATE TABLE %s (a INTEGER); INSERT INTO %s VALUES (1), (2); SELECT a FROM %s ORDER BY a; "
                    "SELECT 99" % (t, t, t))
        self.assertEqual(cur.fetchall(), [(1,), (2,)])  # the first result with rows
        cur.execute("INSERT INTO %s VALUES (3); DELETE FROM %s WHERE a < 3" % (t, t))
        self.assertEqual((cur.rowcount, cur.statusmessage), (2, "DELETE 2"))  # the last statement's
        cur.execute("SELECT 1; SELECT 1/0")
        self.assertEqual(cur.fetchone(), (1,))
        with self.assertRaises(lytdb.DataError):
            cur.fetchone()  # the end of the rows reaches the second statement's error
        cur.execute("SELECT 2")
        self.assertEqual(cur.fetchall(), [(2,)])

    def test_two_cursors_interleaved(self):
        first, second = self.conn.cursor(), self.conn.cursor()
        first.execute("SELECT id FROM %s ORDER BY id" % self.table)
        self.assertEqual(first.fetchone(), (1,))
        second.execute("SELECT count(*) FROM %s" % self.table)  # first's rows are kept for it
        self.assertEqual(second.fetchone(), (10,))
        self.assertEqual([r[0] for r in first.fetchall()], list(range(2, 11)))

    def test_executemany(self):
        cur = self.conn.cursor()
        t = support.table_name()
        cur.execute("CREATE TABLE %s (a INTEGER PRIMARY KEY, b TEXT)" % t)
        cur.executemany("INSERT INTO %s VALUES (?, ?)" % t, ((i, str(i)) for i in range(100)))
        self.assertEqual(cur.rowcount, 100)
        cur.executemany("INSERT INTO %s VALUES (?, ?)" % t, [])
        self.assertEqual(cur.rowcount, 0)
        with self.assertRaises(lytdb.IntegrityError):
            cur.executemany("INSERT INTO %s VALUES (?, ?)" % t, [(1000, "a"), (1, "dup"), (1001, "b")])
        cur.execute("SELECT count(*) FROM %s" % t)
        self.assertEqual(cur.fetchone(), (101,))  # autocommit: the row before the error stays
        with self.assertRaises(lytdb.ProgrammingError):
            cur.executemany("INSERT INTO %s VALUES (?, ?)" % t, [(1,)])

    def test_unsupported_and_noops(self):
        cur = self.conn.cursor()
        cur.setinputsizes([10])
        cur.setoutputsize(10)
        with self.assertRaises(lytdb.NotSupportedError):
            cur.callproc("f")
        self.assertIs(self.conn.Error, lytdb.Error)
        self.conn.ping()

    def test_notices_and_connection_attributes(self):
        self.assertEqual(self.conn.database, "main")
        self.assertEqual(self.conn.host, "127.0.0.1")
        self.assertTrue(self.conn.server_version)
        self.assertGreater(self.conn.session_id, 0)


class ClosedConnectionTest(unittest.TestCase):
    def test_closed_connection_refuses_everything(self):
        conn = support.connect()
        cur = conn.cursor()
        conn.close()
        conn.close()  # idempotent
        self.assertTrue(conn.closed)
        for call in (conn.cursor, conn.commit, conn.rollback, lambda: cur.execute("SELECT 1")):
            with self.assertRaises(lytdb.InterfaceError):
                call()


if __name__ == "__main__":
    unittest.main()
