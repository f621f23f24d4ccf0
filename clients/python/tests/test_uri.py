"""The URI parser against the vectors shared with the C++ parser (tests/uri_vectors.json)."""

import json
import os
import unittest

try:
    from . import support
except ImportError:
    import support

from lytdb import ConnectionUri, UriError, format_uri, parse_uri

VECTORS = os.path.join(support.SOURCE_DIR, "tests", "uri_vectors.json")


def load_vectors():
    with open(VECTORS, encoding="ascii") as f:
        return json.load(f)


def as_bytes(text):
    """A vectors string as the bytes it stands for (one character per byte)."""
    return None if text is None else text.encode("latin-1")


def text_bytes(text):
    """A decoded part of a parsed URI as its bytes."""
    return None if text is None else text.encode("utf-8", "surrogateescape")


def expected_uri(vector):
    decode = lambda value: None if value is None else as_bytes(value).decode("utf-8", "surrogateescape")
    return ConnectionUri(decode(vector["user"]), decode(vector["password"]),
                         [(host, port) for host, port in vector["hosts"]], decode(vector["database"]),
                         vector["tls"], vector["connect_timeout"], decode(vector["application_name"]))


class UriVectorsTest(unittest.TestCase):
    vectors = load_vectors()

    def test_valid(self):
        self.assertGreater(len(self.vectors["valid"]), 40)
        for vector in self.vectors["valid"]:
            text = as_bytes(vector["uri"])
            with self.subTest(uri=vector["uri"][:80]):
                parsed = parse_uri(text)
                self.assertEqual(parsed, expected_uri(vector))
                for part in ("user", "password", "database", "application_name"):
                    self.assertEqual(text_bytes(getattr(parsed, part)), as_bytes(vector[part]))
                formatted = format_uri(parsed)
                self.assertEqual(formatted, vector["formatted"])
                self.assertLessEqual(len(formatted), len(text))
                self.assertEqual(parse_uri(formatted), parsed)
                if "masked" in vector:
                    self.assertEqual(format_uri(parsed, with_password=False), vector["masked"])

    def test_invalid(self):
        self.assertGreater(len(self.vectors["invalid"]), 90)
        for vector in self.vectors["invalid"]:
            with self.subTest(uri=vector["uri"][:80]):
                with self.assertRaises(UriError) as caught:
                    parse_uri(as_bytes(vector["uri"]))
                self.assertEqual(caught.exception.sqlstate, "22023")
                self.assertEqual(caught.exception.message, vector["error"])
                if "secret" in vector:
                    self.assertNotIn(vector["secret"], str(caught.exception))

    def test_str_is_taken_as_utf8(self):
        self.assertEqual(parse_uri("lyt://J%C3%BCrgen@h").user, "J\u00fcrgen")
        with self.assertRaises(UriError) as caught:
            parse_uri("lyt://h/caf\u00e9")
        self.assertEqual(caught.exception.message,
                         "invalid connection URI: unencoded non-ASCII byte at position 12 (write UTF-8 as %XX per byte)")

    def test_built_by_hand(self):
        uri = ConnectionUri("me@corp", "p/w?#@: %", [("::1", 1), ("example.org", 7878)], "a/b c", "verify-full", 30,
                            "app & co=\u00e9")
        text = format_uri(uri)
        self.assertEqual(text, "lyt://me%40corp:p%2Fw%3F%23%40:%20%25@[::1]:1,example.org/a%2Fb%20c?tls=verify-full"
                               "&connect_timeout=30&application_name=app%20%26%20co=%C3%A9")
        self.assertEqual(parse_uri(text), uri)

    def test_bad_uri_is_a_programming_error(self):
        import lytdb
        with self.assertRaises(lytdb.ProgrammingError):
            lytdb.connect("postgres://h")


if __name__ == "__main__":
    unittest.main()
