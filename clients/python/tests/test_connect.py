"""Connecting: several hosts, TLS modes, timeouts, cancel, and a server that goes away."""

import socket
import threading
import time
import unittest

try:
    from . import support
except ImportError:
    import support

import lytdb


def closed_port():
    """A loopback port nobody listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class HostsTest(unittest.TestCase):
    def test_next_host_when_the_first_is_down(self):
        server = support.shared_server()
        down = closed_port()
        uri = "lyt://admin:%s@127.0.0.1:%d,%s:%d/main" % (support.PASSWORD, down, server.host, server.port)
        with lytdb.connect(uri, connect_timeout=10) as conn:
            self.assertEqual(conn.port, server.port)
            cur = conn.cursor()
            cur.execute("SELECT 1")
            self.assertEqual(cur.fetchone(), (1,))

    def test_every_host_down(self):
        a, b = closed_port(), closed_port()
        with self.assertRaises(lytdb.OperationalError) as caught:
            lytdb.connect("lyt://u:p@127.0.0.1:%d,[::1]:%d/main" % (a, b), connect_timeout=5)
        self.assertEqual(caught.exception.sqlstate, "08001")
        message = caught.exception.message
        self.assertTrue(message.startswith('could not connect to any of 2 hosts: "127.0.0.1:%d": ' % a), message)
        self.assertIn('"[::1]:%d": ' % b, message)
        with self.assertRaises(lytdb.OperationalError) as caught:
            lytdb.connect("lyt://u:p@127.0.0.1:%d" % a, connect_timeout=5)
        self.assertEqual(caught.exception.message, 'could not connect to server "127.0.0.1:%d": Connection refused' % a)

    def test_a_refused_login_tries_no_other_host(self):
        server = support.shared_server()
        uri = "lyt://admin:wrong@%s:%d,%s:%d/main" % (server.host, server.port, server.host, server.port)
        started = server.output().count("login failed")
        with self.assertRaises(lytdb.OperationalError) as caught:
            lytdb.connect(uri, connect_timeout=10)
        self.assertEqual(caught.exception.sqlstate, "28P01")
        time.sleep(0.1)
        self.assertEqual(server.output().count("login failed"), started + 1)

    def test_connect_timeout(self):
        with socket.socket() as listener:  # accepts TCP, never answers
            listener.bind(("127.0.0.1", 0))
            listener.listen(1)
            started = time.monotonic()
            with self.assertRaises(lytdb.OperationalError) as caught:
                lytdb.connect("lyt://u:p@127.0.0.1:%d?connect_timeout=1" % listener.getsockname()[1])
            self.assertLess(time.monotonic() - started, 5)
            self.assertIn("timeout expired", caught.exception.message)

    def test_user_and_password_arguments(self):
        server = support.shared_server()
        uri = "lyt://%s:%d/main" % (server.host, server.port)
        with lytdb.connect(uri, user="admin", password=support.PASSWORD, connect_timeout=10) as conn:
            cur = conn.cursor()
            cur.execute("SELECT user_name FROM lyt_sessions WHERE session_id = ?", (conn.session_id,))
            self.assertEqual(cur.fetchall(), [("admin",)])

    def test_application_name_is_shown_by_the_server(self):
        with support.connect(options="application_name=py%20tests", autocommit=True) as conn:
            cur = conn.cursor()
            cur.execute("SELECT application_name FROM lyt_sessions WHERE session_id = ?", (conn.session_id,))
            self.assertEqual(cur.fetchall(), [("py tests",)])


class TlsTest(unittest.TestCase):
    def query_over(self, options, **kwargs):
        with support.connect(options=options, autocommit=True, **kwargs) as conn:
            self.assertTrue(conn._channel.tls)
            cur = conn.cursor()
            cur.execute("SELECT ?", ("over tls",))
            return cur.fetchone()[0]

    def test_require_encrypts_without_verifying(self):
        self.assertEqual(self.query_over("tls=require"), "over tls")

    def test_verify_full_with_the_server_certificate_as_ca(self):
        ca = support.shared_server().ca_file
        self.assertEqual(self.query_over("tls=verify-full", tls_ca_file=ca), "over tls")

    def test_verify_full_fails_without_the_ca(self):
        with self.assertRaises(lytdb.OperationalError) as caught:
            support.connect(options="tls=verify-full")
        self.assertEqual(caught.exception.sqlstate, "08001")
        self.assertIn("server certificate verification failed", caught.exception.message)

    def test_verify_full_checks_the_host_name(self):
        # The certificate names localhost, 127.0.0.1 and ::1; 127.0.0.2 is loopback too.
        server = support.Server(listen="127.0.0.2:0")
        try:
            with self.assertRaises(lytdb.OperationalError) as caught:
                lytdb.connect(server.uri(options="tls=verify-full"), tls_ca_file=server.ca_file, connect_timeout=10)
            self.assertIn("server certificate verification failed", caught.exception.message)
            self.assertIn("127.0.0.2", caught.exception.message)
        finally:
            server.stop()

    def test_tls_refused_by_a_server_without_tls(self):
        server = support.Server(tls=False)
        try:
            with self.assertRaises(lytdb.OperationalError) as caught:
                lytdb.connect(server.uri(options="tls=require"), connect_timeout=10)
            self.assertIn("server does not support TLS, but tls=require was requested", caught.exception.message)
        finally:
            server.stop()

    def test_cancel_over_tls(self):
        with support.connect(options="tls=require", autocommit=True) as conn:
            threading.Timer(0.3, conn.cancel).start()
            with self.assertRaises(lytdb.OperationalError) as caught:
                conn.cursor().execute(support.LONG_QUERY)
            self.assertEqual(caught.exception.sqlstate, "57014")


class CancelTest(unittest.TestCase):
    def test_cancel_from_another_thread(self):
        with support.connect() as conn:
            canceler = threading.Timer(0.3, conn.cancel)
            canceler.start()
            started = time.monotonic()
            with self.assertRaises(lytdb.OperationalError) as caught:
                conn.cursor().execute(support.LONG_QUERY)
            canceler.join()
            self.assertEqual(caught.exception.sqlstate, "57014")
            self.assertLess(time.monotonic() - started, 3)
            conn.rollback()
            conn.cancel()  # nothing running: nothing happens
            cur = conn.cursor()
            cur.execute("SELECT 1")
            self.assertEqual(cur.fetchone(), (1,))

    def test_query_timeout_cancels(self):
        with support.connect(query_timeout=0.3, autocommit=True) as conn:
            with self.assertRaises(lytdb.OperationalError) as caught:
                conn.cursor().execute(support.LONG_QUERY)
            self.assertEqual(caught.exception.sqlstate, "57014")
            self.assertIn("client query timeout", caught.exception.message)
            conn.ping()


class ServerGoneTest(unittest.TestCase):
    def test_server_stops_under_an_open_connection(self):
        server = support.Server()
        try:
            conn = lytdb.connect(server.uri(), connect_timeout=10, query_timeout=20)
            conn.ping()
        finally:
            server.stop()
        with self.assertRaises(lytdb.OperationalError) as caught:
            conn.cursor().execute("SELECT 1")
        self.assertIn(caught.exception.sqlstate, ("08006", "57P01"))
        with self.assertRaises(lytdb.OperationalError) as caught:
            conn.cursor().execute("SELECT 1")
        self.assertEqual(caught.exception.sqlstate, "08006")
        self.assertTrue(caught.exception.message.startswith("connection is broken: "))
        conn.close()


if __name__ == "__main__":
    unittest.main()
