"""Server errors as PEP 249 exceptions: the class from the SQLSTATE, and the fields kept."""

import unittest

try:
    from . import support
except ImportError:
    import support

import lytdb
from lytdb.errors import class_for_sqlstate


class ErrorClassesTest(support.ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.table = cls.create_table("id INTEGER PRIMARY KEY, name TEXT NOT NULL", "errs")
        cls.conn.cursor().execute("INSERT INTO %s VALUES (1, 'a')" % cls.table)

    def expect(self, sql, cls, sqlstate, params=None):
        cur = self.conn.cursor()
        with self.assertRaises(cls) as caught:
            cur.execute(sql, params)
        self.assertEqual(caught.exception.sqlstate, sqlstate, caught.exception)
        self.assertIsInstance(caught.exception, lytdb.DatabaseError)
        return caught.exception

    def test_classes_by_sqlstate(self):
        t = self.table
        self.expect("SELECT 1/0", lytdb.DataError, "22012")
        self.expect("SELECT 2147483647::INTEGER + 1", lytdb.DataError, "22003")
        self.expect("INSERT INTO %s VALUES (1, 'dup')" % t, lytdb.IntegrityError, "23505")
        self.expect("INSERT INTO %s VALUES (2, NULL)" % t, lytdb.IntegrityError, "23502")
        self.expect("SELECT * FROM no_such_table", lytdb.ProgrammingError, "42P01")
        self.expect("SELECT nope FROM %s" % t, lytdb.ProgrammingError, "42703")
        self.expect("EXECUTE nothing", lytdb.ProgrammingError, "42601")
        self.expect("RELEASE SAVEPOINT x", lytdb.InternalError, "25P01")

    def test_position_and_message(self):
        error = self.expect("SELECT 1,\n  nope FROM %s" % self.table, lytdb.ProgrammingError, "42703")
        self.assertEqual(error.position, (2, 3))
        self.assertEqual((error.line, error.column), (2, 3))
        self.assertIn("nope", error.message)
        self.assertTrue(str(error).startswith("ERROR 42703: "))
        self.assertIsNone(self.expect("SELECT 1/0", lytdb.DataError, "22012").position)

    def test_mapping_table(self):
        self.assertIs(class_for_sqlstate("08006"), lytdb.OperationalError)
        self.assertIs(class_for_sqlstate("0A000"), lytdb.NotSupportedError)
        self.assertIs(class_for_sqlstate("40001"), lytdb.OperationalError)
        self.assertIs(class_for_sqlstate("57014"), lytdb.OperationalError)
        self.assertIs(class_for_sqlstate("XX000"), lytdb.InternalError)
        self.assertIs(class_for_sqlstate("99999"), lytdb.DatabaseError)

    def test_login_errors(self):
        server = support.shared_server()
        with self.assertRaises(lytdb.OperationalError) as caught:
            lytdb.connect(server.uri(password="wrong"), connect_timeout=10)
        self.assertEqual(caught.exception.sqlstate, "28P01")
        self.assertNotIn("wrong", str(caught.exception))
        with self.assertRaises(lytdb.ProgrammingError) as caught:
            lytdb.connect(server.uri(database="no_such_db"), connect_timeout=10)
        self.assertEqual(caught.exception.sqlstate, "3D000")

    def test_connection_goes_on_after_errors(self):
        cur = self.conn.cursor()
        with self.assertRaises(lytdb.DataError):
            cur.execute("SELECT 1/0")
        cur.execute("SELECT 5")
        self.assertEqual(cur.fetchone(), (5,))


if __name__ == "__main__":
    unittest.main()
