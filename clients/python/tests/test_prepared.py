"""Prepared statements: parsed once by the server, executed many times."""

import unittest

try:
    from . import support
except ImportError:
    import support

import lytdb


class PreparedTest(support.ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.table = cls.create_table("id INTEGER PRIMARY KEY, name TEXT", "prep")

    def test_prepare_execute_close(self):
        insert = self.conn.prepare("INSERT INTO %s VALUES (?, ?)" % self.table)
        self.assertEqual(insert.param_count, 2)
        cur = self.conn.cursor()
        for i in range(5):
            cur.execute(insert, (i, "n%d" % i))
            self.assertEqual(cur.rowcount, 1)
        cur.executemany(insert, [(i, None) for i in range(5, 10)])
        self.assertEqual(cur.rowcount, 5)
        insert.close()
        insert.close()
        with self.assertRaises(lytdb.InterfaceError):
            cur.execute(insert, (99, "x"))
        with self.conn.prepare("SELECT name FROM %s WHERE id = $1" % self.table) as select:
            cur.execute(select, [3])
            self.assertEqual(cur.description[0][0], "name")
            self.assertEqual(cur.fetchall(), [("n3",)])
            cur.execute(select, [7])
            self.assertEqual(cur.fetchall(), [(None,)])
            with self.assertRaises(lytdb.ProgrammingError):
                cur.execute(select, [])
        with self.assertRaises(lytdb.InterfaceError):
            cur.execute(select, [1])

    def test_syntax_error_at_prepare(self):
        with self.assertRaises(lytdb.ProgrammingError) as caught:
            self.conn.prepare("SELEC 1")
        self.assertEqual(caught.exception.sqlstate, "42601")
        self.conn.ping()

    def test_execution_errors(self):
        with self.conn.prepare("SELECT 10 / ?") as divide:
            cur = self.conn.cursor()
            cur.execute(divide, (2,))
            self.assertEqual(cur.fetchone(), (5,))
            with self.assertRaises(lytdb.DataError):
                cur.execute(divide, (0,))

    def test_statement_of_another_connection(self):
        with support.connect() as other:
            statement = other.prepare("SELECT 1")
            with self.assertRaises(lytdb.InterfaceError):
                self.conn.cursor().execute(statement)

    def test_prepared_inside_a_transaction(self):
        with support.connect() as conn:
            statement = conn.prepare("INSERT INTO %s VALUES (?, 'tx')" % self.table)
            cur = conn.cursor()
            cur.execute(statement, (100,))
            self.assertEqual(conn.transaction_status, "T")
            conn.rollback()
            cur.execute("SELECT count(*) FROM %s WHERE id = 100" % self.table)
            self.assertEqual(cur.fetchone(), (0,))


if __name__ == "__main__":
    unittest.main()
