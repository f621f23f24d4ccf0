"""The client's side of SCRAM-SHA-256 (RFC 5802 with RFC 7677's hash), as docs/security.md
describes it for the lyt protocol: gs2 header ``n,,`` (no channel binding), an empty user name
(``n=``, HELLO carries the user), the password's raw UTF-8 bytes (no SASLprep).

The client refuses iteration counts outside 4096..1,000,000 (a hostile server could otherwise
make it burn CPU) and checks the server's signature (mutual authentication). Errors raise
``OperationalError``: 08P01 for a malformed server message, 28000 for a wrong server signature.
No message contains the password or a key.
"""

import base64
import binascii
import hashlib
import hmac
import os
from typing import Dict, Optional

from .errors import OperationalError, INVALID_AUTHORIZATION, PROTOCOL_VIOLATION

MIN_ITERATIONS = 4096
MAX_ITERATIONS = 1000000
MAX_SALT_BYTES = 64
MAX_MESSAGE_BYTES = 1024
_CLIENT_NONCE_BYTES = 24
_GS2_HEADER = "n,,"


def _malformed(detail: str) -> OperationalError:
    return OperationalError("malformed SCRAM message: " + detail, PROTOCOL_VIOLATION)


def _hmac(key: bytes, message: bytes) -> bytes:
    return hmac.new(key, message, hashlib.sha256).digest()


def _b64decode(text: str) -> Optional[bytes]:
    """Canonical base64 only (what the server writes), else None."""
    try:
        data = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return None
    return data if base64.b64encode(data).decode("ascii") == text else None


def _attributes(message: str, names: str) -> Dict[str, str]:
    """``message`` split into exactly the attributes ``names``, in that order (``"rsi"``)."""
    parts = message.split(",")
    if len(parts) > len(names):
        return _fail("unexpected data after attribute \"%s\"" % names[-1])
    values = {}
    for name, part in zip(names, parts):
        if len(part) < 2 or part[0] != name or part[1] != "=":
            return _fail("expected attribute \"%s\"" % name)
        values[name] = part[2:]
    if len(values) < len(names):
        return _fail("missing attribute \"%s\"" % names[len(values)])
    return values


def _fail(detail: str) -> Dict[str, str]:
    raise _malformed(detail)


def _check_length(message: str) -> None:
    if not message:
        raise _malformed("empty message")
    if len(message.encode("utf-8", "surrogateescape")) > MAX_MESSAGE_BYTES:
        raise _malformed("message longer than %d bytes" % MAX_MESSAGE_BYTES)


def _valid_nonce(nonce: str) -> bool:
    return bool(nonce) and all(0x21 <= ord(c) <= 0x7E and c != "," for c in nonce)


class ScramClient:
    """One exchange: ``client_first()``, ``client_final(server_first)``, ``verify_server_final``.

    Not thread-safe; one per login. ``nonce`` and ``user`` are for tests (RFC 7677's vector); the
    lyt protocol sends an empty user name.
    """

    def __init__(self, password: str, nonce: Optional[str] = None, user: str = ""):
        self._password = password.encode("utf-8", "surrogateescape")
        if b"\x00" in self._password:
            raise OperationalError("a password must not contain a NUL byte", "22023")
        self._nonce = nonce or base64.b64encode(os.urandom(_CLIENT_NONCE_BYTES)).decode("ascii")
        saslname = user.replace("=", "=3D").replace(",", "=2C")
        self._first_bare = "n=" + saslname + ",r=" + self._nonce
        self._server_signature = None  # type: Optional[bytes]

    def client_first(self) -> str:
        return _GS2_HEADER + self._first_bare

    def client_final(self, server_first: str) -> str:
        """The client-final-message for the server's challenge ``r=..,s=..,i=..``."""
        _check_length(server_first)
        if server_first.startswith("m="):
            raise _malformed("the server requires an unsupported SCRAM extension")
        values = _attributes(server_first, "rsi")
        nonce = values["r"]
        if not _valid_nonce(nonce) or len(nonce) <= len(self._nonce) or not nonce.startswith(self._nonce):
            raise _malformed("server nonce does not extend the client nonce")
        salt = _b64decode(values["s"])
        if not salt or len(salt) > MAX_SALT_BYTES:
            raise _malformed("invalid salt")
        iterations = _parse_iterations(values["i"])
        salted = hashlib.pbkdf2_hmac("sha256", self._password, salt, iterations)
        client_key = _hmac(salted, b"Client Key")
        stored_key = hashlib.sha256(client_key).digest()
        server_key = _hmac(salted, b"Server Key")
        without_proof = "c=" + base64.b64encode(_GS2_HEADER.encode()).decode("ascii") + ",r=" + nonce
        auth_message = ",".join((self._first_bare, server_first, without_proof)).encode("utf-8", "surrogateescape")
        proof = bytes(a ^ b for a, b in zip(client_key, _hmac(stored_key, auth_message)))
        self._server_signature = _hmac(server_key, auth_message)
        return without_proof + ",p=" + base64.b64encode(proof).decode("ascii")

    def verify_server_final(self, server_final: str) -> None:
        """Checks ``v=<ServerSignature>``; raises 28000 when the server does not know the password."""
        if self._server_signature is None:
            raise OperationalError("SCRAM message out of order", PROTOCOL_VIOLATION)
        _check_length(server_final)
        if server_final.startswith("e="):
            raise OperationalError("the server rejected the SCRAM exchange", INVALID_AUTHORIZATION)
        signature = _b64decode(_attributes(server_final, "v")["v"])
        if signature is None or len(signature) != 32:
            raise _malformed("invalid server signature")
        if not hmac.compare_digest(signature, self._server_signature):
            raise OperationalError("SCRAM server signature is incorrect: the server could not prove that it knows "
                                   "the password", INVALID_AUTHORIZATION)


def _parse_iterations(text: str) -> int:
    """A decimal count without sign or leading zero, inside MIN..MAX_ITERATIONS."""
    if not text or len(text) > 10 or (text[0] == "0" and len(text) > 1) or any(c not in "0123456789" for c in text):
        raise _malformed("invalid iteration count")
    iterations = int(text)
    if not MIN_ITERATIONS <= iterations <= MAX_ITERATIONS:
        raise _malformed("iteration count %d is outside %d..%d" % (iterations, MIN_ITERATIONS, MAX_ITERATIONS))
    return iterations
