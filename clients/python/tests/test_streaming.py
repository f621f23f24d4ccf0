"""Large results are streamed: the client holds one batch at a time, whatever the result's size."""

import unittest

try:
    from . import support
except ImportError:
    import support

import lytdb

ROWS = 300000


class StreamingTest(support.ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.digits = cls.create_table("n INTEGER", "digits")
        cls.conn.cursor().execute("INSERT INTO %s VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)" % cls.digits)

    def big_query(self):
        """ROWS rows (n, text) from a cross join, in order of n."""
        d = self.digits
        return ("SELECT a.n + 10*b.n + 100*c.n + 1000*e.n + 10000*f.n + 100000*g.n AS n, 'row ' || a.n AS s "
                "FROM {0} a, {0} b, {0} c, {0} e, {0} f, {0} g WHERE g.n < 3 ORDER BY n").format(d)

    def test_fetchmany_holds_at_most_a_batch(self):
        cur = self.conn.cursor()
        cur.execute(self.big_query())
        seen, expected, most_buffered = 0, 0, 0
        while True:
            rows = cur.fetchmany(1000)
            most_buffered = max(most_buffered, len(cur._rows))
            if not rows:
                break
            for n, s in rows:
                self.assertEqual(n, expected)
                expected += 1
            seen += len(rows)
        self.assertEqual(seen, ROWS)
        self.assertEqual(cur.rowcount, ROWS)
        self.assertLessEqual(most_buffered, 2048)

    def test_iteration_streams_too(self):
        cur = self.conn.cursor()
        cur.execute(self.big_query())
        count, most_buffered = 0, 0
        for _ in cur:
            count += 1
            if count % 997 == 0:
                most_buffered = max(most_buffered, len(cur._rows))
        self.assertEqual(count, ROWS)
        self.assertLessEqual(most_buffered, 2048)

    def test_abandoned_result_is_skipped(self):
        cur = self.conn.cursor()
        cur.execute(self.big_query())
        self.assertEqual(cur.fetchone()[0], 0)
        cur.execute("SELECT 42")  # the rest of the big result is read and dropped
        self.assertEqual(cur.fetchall(), [(42,)])
        cur.execute(self.big_query())
        cur.close()
        self.conn.ping()

    def test_failure_after_some_rows(self):
        cur = self.conn.cursor()
        d = self.digits
        with self.assertRaises(lytdb.DataError):  # from execute or from the fetch that reaches it
            cur.execute("SELECT 10 / (a.n + 10*b.n + 100*c.n + 1000*e.n - 4000) FROM {0} a, {0} b, {0} c, {0} e"
                        .format(d))
            cur.fetchall()
        cur.execute("SELECT 1")
        self.assertEqual(cur.fetchone(), (1,))


if __name__ == "__main__":
    unittest.main()
