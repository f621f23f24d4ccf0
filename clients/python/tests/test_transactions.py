"""DB-API transactions: implicit BEGIN with autocommit off, commit, rollback, autocommit, and the
schema changes LytDB runs outside transactions."""

import unittest

try:
    from . import support
except ImportError:
    import support

import lytdb


class TransactionTest(unittest.TestCase):
    def setUp(self):
        self.conn = support.connect()
        self.other = support.connect(autocommit=True)  # sees only what is committed
        self.table = support.table_name("tx")
        self.conn.cursor().execute("CREATE TABLE %s (a INTEGER PRIMARY KEY)" % self.table)  # no BEGIN before it

    def tearDown(self):
        self.conn.close()
        self.other.close()

    def count_seen_by_other(self):
        cur = self.other.cursor()
        cur.execute("SELECT count(*) FROM %s" % self.table)
        return cur.fetchone()[0]

    def test_autocommit_is_off_by_default_and_commit_publishes(self):
        self.assertFalse(self.conn.autocommit)
        self.assertEqual(self.conn.transaction_status, "I")  # CREATE ran on its own
        cur = self.conn.cursor()
        cur.execute("INSERT INTO %s VALUES (1)" % self.table)
        self.assertEqual(self.conn.transaction_status, "T")
        self.assertEqual(self.count_seen_by_other(), 0)
        self.conn.commit()
        self.assertEqual(self.conn.transaction_status, "I")
        self.assertEqual(self.count_seen_by_other(), 1)

    def test_rollback_discards(self):
        cur = self.conn.cursor()
        cur.executemany("INSERT INTO %s VALUES (?)" % self.table, [(i,) for i in range(500)])  # pipelined
        self.assertEqual(cur.rowcount, 500)
        cur.execute("SELECT count(*) FROM %s" % self.table)
        self.assertEqual(cur.fetchone(), (500,))
        self.conn.rollback()
        self.assertEqual(self.count_seen_by_other(), 0)
        self.conn.rollback()  # nothing open: nothing to do
        self.conn.commit()

    def test_a_select_opens_a_snapshot(self):
        cur = self.conn.cursor()
        cur.execute("SELECT count(*) FROM %s" % self.table)
        self.assertEqual(cur.fetchone(), (0,))
        self.other.cursor().execute("INSERT INTO %s VALUES (7)" % self.table)
        cur.execute("SELECT count(*) FROM %s" % self.table)
        self.assertEqual(cur.fetchone(), (0,))  # same transaction, same snapshot
        self.conn.commit()
        cur.execute("SELECT count(*) FROM %s" % self.table)
        self.assertEqual(cur.fetchone(), (1,))

    def test_failed_block(self):
        cur = self.conn.cursor()
        cur.execute("INSERT INTO %s VALUES (1)" % self.table)
        with self.assertRaises(lytdb.DataError):
            cur.execute("SELECT 1/0")
        self.assertEqual(self.conn.transaction_status, "E")
        with self.assertRaises(lytdb.InternalError) as caught:
            cur.execute("SELECT 1")
        self.assertEqual(caught.exception.sqlstate, "25P02")
        with self.assertRaises(lytdb.InternalError):
            self.conn.commit()  # rolled back instead
        self.assertEqual(self.conn.transaction_status, "I")
        self.assertEqual(self.count_seen_by_other(), 0)

    def test_autocommit_on(self):
        self.conn.autocommit = True
        cur = self.conn.cursor()
        cur.execute("INSERT INTO %s VALUES (1)" % self.table)
        self.assertEqual(self.conn.transaction_status, "I")
        self.assertEqual(self.count_seen_by_other(), 1)
        self.conn.rollback()  # nothing to roll back
        self.assertEqual(self.count_seen_by_other(), 1)
        cur.execute("BEGIN")  # explicit blocks still work
        cur.execute("INSERT INTO %s VALUES (2)" % self.table)
        cur.execute("ROLLBACK")
        self.assertEqual(self.count_seen_by_other(), 1)

    def test_autocommit_cannot_be_turned_on_inside_a_transaction(self):
        self.conn.cursor().execute("INSERT INTO %s VALUES (1)" % self.table)
        with self.assertRaises(lytdb.ProgrammingError):
            self.conn.autocommit = True
        self.conn.commit()
        self.conn.autocommit = True

    def test_schema_change_inside_an_open_transaction(self):
        cur = self.conn.cursor()
        cur.execute("INSERT INTO %s VALUES (1)" % self.table)
        with self.assertRaises(lytdb.InternalError) as caught:  # LytDB refuses DDL inside blocks
            cur.execute("  /* c */ -- x\n CREATE TABLE %s (b INTEGER)" % support.table_name())
        self.assertEqual(caught.exception.sqlstate, "25001")
        self.conn.rollback()

    def test_context_manager_commits_or_rolls_back(self):
        with support.connect() as conn:
            conn.cursor().execute("INSERT INTO %s VALUES (1)" % self.table)
        self.assertTrue(conn.closed)
        self.assertEqual(self.count_seen_by_other(), 1)
        with self.assertRaises(ZeroDivisionError):
            with support.connect() as conn:
                conn.cursor().execute("INSERT INTO %s VALUES (2)" % self.table)
                1 / 0
        self.assertEqual(self.count_seen_by_other(), 1)

    def test_close_rolls_back(self):
        self.conn.cursor().execute("INSERT INTO %s VALUES (1)" % self.table)
        self.conn.close()
        self.assertEqual(self.count_seen_by_other(), 0)


if __name__ == "__main__":
    unittest.main()
