"""The codec and SCRAM without a server: what the client refuses from a hostile or broken peer."""

import datetime
import socket
import struct
import unittest

try:
    from . import support  # noqa: F401 - puts lytdb on the path
except ImportError:
    import support  # noqa: F401

import lytdb
from lytdb import wire
from lytdb.scram import ScramClient
from lytdb.transport import Channel


def peer_channel(max_frame_bytes=1 << 20):
    """A Channel over one end of a socket pair, and the other end (the 'server')."""
    client, server = socket.socketpair()
    client.settimeout(5)
    return Channel(client, max_frame_bytes), server


def batch(rows, *columns):
    """A BATCH payload: rows, then per column (validity bytes, value bytes)."""
    out = struct.pack("<I", rows)
    for validity, values in columns:
        out += validity + values
    return out


class FrameTest(unittest.TestCase):
    def test_frames_round_trip(self):
        channel, server = peer_channel()
        with server:
            server.sendall(wire.encode_frame(wire.COMPLETE, 7, wire.encode_string("SELECT 1") + struct.pack("<Q", 1)))
            type_id, request_id, payload = channel.receive()
            self.assertEqual((type_id, request_id), (wire.COMPLETE, 7))
            self.assertEqual(wire.decode_complete(payload), ("SELECT 1", 1))
        channel.close()

    def test_oversized_frame_is_refused_before_its_payload(self):
        channel, server = peer_channel(max_frame_bytes=1000)
        with server:
            server.sendall(wire.HEADER.pack(wire.BATCH, 1, 0xFFFFFFFF))  # announces 4 GiB, sends nothing
            with self.assertRaises(wire.ProtocolViolation) as caught:
                channel.receive()
            self.assertEqual(caught.exception.sqlstate, "08P01")
            self.assertIn("exceeds the limit of 1000 bytes", caught.exception.message)
        channel.close()

    def test_unknown_message_type(self):
        channel, server = peer_channel()
        with server:
            server.sendall(wire.HEADER.pack(0x10, 1, 0))  # a client message
            with self.assertRaisesRegex(wire.ProtocolViolation, "unknown message type 16"):
                channel.receive()
        channel.close()

    def test_closed_connection(self):
        channel, server = peer_channel()
        server.sendall(wire.HEADER.pack(wire.PONG, 1, 5) + b"ab")
        server.close()
        with self.assertRaises(lytdb.OperationalError) as caught:
            channel.receive()
        self.assertEqual(caught.exception.sqlstate, "08006")
        channel.close()


class MessageTest(unittest.TestCase):
    def test_truncated_and_left_over_payloads(self):
        with self.assertRaisesRegex(wire.ProtocolViolation, "COMPLETE ends before its fields do"):
            wire.decode_complete(struct.pack("<I", 100) + b"short")
        with self.assertRaisesRegex(wire.ProtocolViolation, "READY has 1 bytes left over"):
            wire.decode_ready(b"II")
        with self.assertRaisesRegex(wire.ProtocolViolation, "unknown transaction status"):
            wire.decode_ready(b"X")
        with self.assertRaisesRegex(wire.ProtocolViolation, "not 5 characters"):
            wire.decode_error(wire.encode_string("123") + wire.encode_string("m") + struct.pack("<II", 0, 0))

    def test_columns(self):
        payload = struct.pack("<H", 2) + wire.encode_string("a") + struct.pack("<Bi", 7, 10) + \
            wire.encode_string("b") + struct.pack("<Bi", 4, -1)
        self.assertEqual(wire.decode_columns(payload), [("a", 7, 10), ("b", 4, -1)])
        with self.assertRaisesRegex(wire.ProtocolViolation, "bad type modifier 3"):
            wire.decode_columns(struct.pack("<H", 1) + wire.encode_string("x") + struct.pack("<Bi", 4, 3))
        with self.assertRaisesRegex(wire.ProtocolViolation, "unknown type id 12"):
            wire.decode_columns(struct.pack("<H", 1) + wire.encode_string("x") + struct.pack("<Bi", 12, -1))
        with self.assertRaisesRegex(wire.ProtocolViolation, "column count 1000 does not fit"):
            wire.decode_columns(struct.pack("<H", 1000))

    def test_batch_values_and_nulls(self):
        payload = batch(3, (b"\x05", struct.pack("<qq", -1, 1 << 40)),  # rows 0 and 2
                        (b"\x07", wire.encode_string("x") + wire.encode_string("\u00e9") + wire.encode_string("")),
                        (b"\x02", struct.pack("<iiq", 1, 2, 3)),
                        (b"\x03", struct.pack("<ii", 0, 19000)),
                        (b"\x01", b"\x01"))
        rows = wire.decode_batch(payload, [4, 7, 11, 9, 1])
        self.assertEqual(rows, [(-1, "x", None, datetime.date(1970, 1, 1), True),
                                (None, "\u00e9", lytdb.Interval(1, 2, 3), datetime.date(2022, 1, 8), None),
                                (1 << 40, "", None, None, None)])

    def test_batch_limits(self):
        with self.assertRaisesRegex(wire.ProtocolViolation, "batch of 65537 rows exceeds 65536"):
            wire.decode_batch(struct.pack("<I", 65537), [4])
        with self.assertRaisesRegex(wire.ProtocolViolation, "does not fit in the message"):
            wire.decode_batch(struct.pack("<I", 65536), [4, 4])
        with self.assertRaisesRegex(wire.ProtocolViolation, "neither 0 nor 1"):
            wire.decode_batch(batch(1, (b"\x01", b"\x02")), [1])
        with self.assertRaisesRegex(wire.ProtocolViolation, "BATCH ends before its fields do"):
            wire.decode_batch(batch(1, (b"\x01", struct.pack("<I", 1000) + b"abc")), [7])
        with self.assertRaisesRegex(wire.ProtocolViolation, "too large"):
            wire.decode_batch(struct.pack("<I", 65536) + b"\x00" * (8192 * 65), [4] * 65)

    def test_date_outside_python_range_is_a_data_error(self):
        with self.assertRaises(lytdb.DataError):
            wire.decode_batch(batch(1, (b"\x01", struct.pack("<i", 5000000))), [9])

    def test_parameters(self):
        self.assertEqual(wire.encode_value(None), b"\x00")
        self.assertEqual(wire.encode_value(True), b"\x01\x01")
        self.assertEqual(wire.encode_value(-2), b"\x04" + struct.pack("<q", -2))
        self.assertEqual(wire.encode_value(0.5), b"\x06" + struct.pack("<d", 0.5))
        self.assertEqual(wire.encode_value("\u00e9"), b"\x07\x02\x00\x00\x00\xc3\xa9")
        self.assertEqual(wire.encode_value(bytearray(b"\x00")), b"\x08\x01\x00\x00\x00\x00")
        self.assertEqual(wire.encode_value(datetime.date(1970, 1, 2)), b"\x09" + struct.pack("<i", 1))
        self.assertEqual(wire.encode_value(datetime.datetime(1970, 1, 1, 0, 0, 1)), b"\x0a" + struct.pack("<q", 10 ** 6))
        utc_plus_one = datetime.timezone(datetime.timedelta(hours=1))
        self.assertEqual(wire.encode_value(datetime.datetime(1970, 1, 1, 1, tzinfo=utc_plus_one)),
                         b"\x0a" + struct.pack("<q", 0))
        self.assertEqual(wire.encode_value(datetime.timedelta(days=-1, seconds=1)), b"\x0b" + struct.pack("<iiq", 0, -1, 10 ** 6))
        with self.assertRaises(lytdb.DataError):
            wire.encode_value(1 << 63)
        with self.assertRaises(lytdb.NotSupportedError):
            wire.encode_value(datetime.time(1, 2))
        with self.assertRaises(lytdb.ProgrammingError):
            wire.encode_value(object())


class ScramTest(unittest.TestCase):
    # RFC 7677 section 3.
    SERVER_FIRST = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"

    def client(self):
        return ScramClient("pencil", "rOprNGfwEbeRWgbNEkqO", "user")

    def test_rfc7677_vector(self):
        client = self.client()
        self.assertEqual(client.client_first(), "n,,n=user,r=rOprNGfwEbeRWgbNEkqO")
        self.assertEqual(client.client_final(self.SERVER_FIRST),
                         "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                         "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")
        client.verify_server_final("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")

    def test_lyt_sends_an_empty_user_name(self):
        self.assertTrue(ScramClient("pw").client_first().startswith("n,,n=,r="))

    def test_wrong_server_signature(self):
        client = self.client()
        client.client_final(self.SERVER_FIRST)
        with self.assertRaises(lytdb.OperationalError) as caught:
            client.verify_server_final("v=" + "A" * 43 + "=")
        self.assertEqual(caught.exception.sqlstate, "28000")

    def test_hostile_challenges(self):
        bad = {
            "r=other,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096": "server nonce does not extend the client nonce",
            "r=rOprNGfwEbeRWgbNEkqOx,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4095": "iteration count 4095 is outside 4096..1000000",
            "r=rOprNGfwEbeRWgbNEkqOx,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=1000001": "outside",
            "r=rOprNGfwEbeRWgbNEkqOx,s=!!,i=4096": "invalid salt",
            "r=rOprNGfwEbeRWgbNEkqOx,i=4096": 'expected attribute "s"',
            "r=rOprNGfwEbeRWgbNEkqOx,s=W22ZaJ0SNY7soEsUEjb6gQ==": 'missing attribute "i"',
            "m=ext,r=x": "extension",
            "x" * 1025: "longer than 1024 bytes",
        }
        for challenge, message in bad.items():
            with self.subTest(challenge=challenge[:40]):
                with self.assertRaisesRegex(lytdb.OperationalError, message) as caught:
                    self.client().client_final(challenge)
                self.assertEqual(caught.exception.sqlstate, "08P01")
                self.assertNotIn("pencil", str(caught.exception))


if __name__ == "__main__":
    unittest.main()
