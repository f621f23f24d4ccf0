"""Every SQL type both ways: parameters sent, values stored and read back, NULLs, limits."""

import datetime
import decimal
import math
import struct
import unittest

try:
    from . import support
except ImportError:
    import support

import lytdb
from lytdb import Interval


class TypesTest(support.ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cur = cls.conn.cursor()

    def roundtrip(self, sql_type, value, expected=None):
        """``value`` stored in a column of ``sql_type`` and read back (and NULL likewise)."""
        table = self.create_table("v " + sql_type, "types")
        self.cur.execute("INSERT INTO %s VALUES (?), (?)" % (table,), (value, None))
        self.cur.execute("SELECT v FROM %s" % table)
        rows = self.cur.fetchall()
        self.cur.execute("DROP TABLE %s" % table)
        self.assertEqual(rows, [(value if expected is None else expected,), (None,)], sql_type)
        return rows[0][0]

    def test_every_type_in_a_table(self):
        cases = [
            ("BOOLEAN", True), ("BOOLEAN", False),
            ("SMALLINT", -32768), ("INTEGER", 2147483647), ("BIGINT", -(1 << 63)), ("BIGINT", (1 << 63) - 1),
            ("REAL", 1.5), ("DOUBLE PRECISION", -2.25e300),
            ("TEXT", "h\u00e9llo \u2603 \U0001F600 'quoted' \"dq\" \\ \n\t"), ("TEXT", ""), ("VARCHAR(5)", "abcde"),
            ("BYTEA", b"\x00\x01\xfe\xff"), ("BYTEA", b""),
            ("DATE", datetime.date(2024, 2, 29)), ("DATE", datetime.date(1, 1, 1)), ("DATE", datetime.date(9999, 12, 31)),
            ("TIMESTAMP", datetime.datetime(2024, 2, 29, 23, 59, 58, 999999)),
            ("TIMESTAMP", datetime.datetime(1969, 12, 31, 23, 59, 59, 1)),
            ("INTERVAL", Interval(14, -3, 4 * 3600 * 10 ** 6 + 5)),
        ]
        for sql_type, value in cases:
            with self.subTest(sql_type=sql_type, value=value):
                self.roundtrip(sql_type, value)

    def test_python_values_with_conversions(self):
        self.assertEqual(self.roundtrip("DOUBLE PRECISION", decimal.Decimal("2.5"), 2.5), 2.5)
        self.roundtrip("BYTEA", bytearray(b"ab"), b"ab")
        self.roundtrip("BYTEA", memoryview(b"cd"), b"cd")
        self.roundtrip("INTERVAL", datetime.timedelta(days=2, microseconds=7), Interval(0, 2, 7))
        aware = datetime.datetime(2024, 1, 1, 12, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))
        self.roundtrip("TIMESTAMP", aware, datetime.datetime(2024, 1, 1, 10))  # stored as UTC
        self.roundtrip("INTEGER", 7)  # a BIGINT parameter into an INTEGER column
        self.roundtrip("REAL", 0.1, struct.unpack("<f", struct.pack("<f", 0.1))[0])  # a float32

    def test_types_of_parameters_and_expressions(self):
        self.cur.execute("SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?",
                         (None, True, 3, 2.5, "s", b"b", datetime.date(2000, 1, 1),
                          datetime.datetime(2000, 1, 1, 1), Interval(1, 2, 3), datetime.timedelta(seconds=1)))
        self.assertEqual([d[1] for d in self.cur.description], [7, 1, 4, 6, 7, 8, 9, 10, 11, 11])
        self.assertEqual(self.cur.fetchone(), (None, True, 3, 2.5, "s", b"b", datetime.date(2000, 1, 1),
                                               datetime.datetime(2000, 1, 1, 1), Interval(1, 2, 3), Interval(0, 0, 10 ** 6)))
        self.cur.execute("SELECT 1::SMALLINT, 1::REAL, 'NaN'::DOUBLE, 'Infinity'::DOUBLE, NULL::BOOLEAN")
        row = self.cur.fetchone()
        self.assertEqual([d[1] for d in self.cur.description], [2, 5, 6, 6, 1])
        self.assertEqual(row[:2], (1, 1.0))
        self.assertTrue(math.isnan(row[2]))
        self.assertEqual(row[3:], (math.inf, None))

    def test_interval_helpers(self):
        self.cur.execute("SELECT INTERVAL '1 day 02:00:00', INTERVAL '1 month'")
        day, month = self.cur.fetchone()
        self.assertEqual(day.to_timedelta(), datetime.timedelta(days=1, hours=2))
        with self.assertRaises(ValueError):
            month.to_timedelta()

    def test_values_out_of_python_range(self):
        self.cur.execute("SELECT DATE '4000-01-01' + 2500000")
        with self.assertRaises(lytdb.DataError):
            self.cur.fetchone()

    def test_parameter_errors(self):
        with self.assertRaises(lytdb.DataError):
            self.cur.execute("SELECT ?", (1 << 64,))
        with self.assertRaises(lytdb.NotSupportedError):
            self.cur.execute("SELECT ?", (datetime.time(1, 2),))
        with self.assertRaises(lytdb.ProgrammingError):
            self.cur.execute("SELECT ?", (object(),))
        self.cur.execute("SELECT 1")  # the connection goes on
        self.assertEqual(self.cur.fetchone(), (1,))


if __name__ == "__main__":
    unittest.main()
