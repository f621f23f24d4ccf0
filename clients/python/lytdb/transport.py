"""One socket to one server: TCP connect, the TLS negotiation of docs/protocol.md, and frames in
and out with deadlines.

TLS modes (the URI's ``tls``): ``disable`` plain TCP; ``require`` encrypts without checking the
certificate (as libpq's sslmode=require); ``verify-full`` checks the chain against ``ca_file``
(PEM) or the system's trusted roots and that the certificate names the host of the URI (DNS name
or IP address). A TLS_REFUSE ends the attempt: there is no fallback to clear text.
"""

import socket
import ssl
import time
from typing import NamedTuple, Optional, Tuple

from . import wire
from .errors import OperationalError, CONNECTION_FAILURE, UNABLE_TO_CONNECT

_READ_CHUNK = 1 << 16


class TlsSettings(NamedTuple):
    mode: str = "disable"              # disable, require, verify-full
    ca_file: Optional[str] = None      # PEM roots for verify-full; None: the system's
    cert_file: Optional[str] = None    # client certificate (PEM), if the server asks for one
    key_file: Optional[str] = None


class Timeout(OperationalError):
    """A deadline passed while waiting for the server."""

    def __init__(self, message: str = "timeout expired"):
        super().__init__(message, UNABLE_TO_CONNECT)


def deadline_after(seconds: Optional[float]) -> Optional[float]:
    """A ``time.monotonic()`` deadline, or None for no limit (``seconds`` None or 0)."""
    return time.monotonic() + seconds if seconds else None


def _remaining(deadline: Optional[float]) -> Optional[float]:
    if deadline is None:
        return None
    left = deadline - time.monotonic()
    if left <= 0:
        raise Timeout()
    return left


def _connection_lost(what: str) -> OperationalError:
    return OperationalError(what, CONNECTION_FAILURE)


class Channel:
    """A connected socket speaking lyt frames. Used by one thread at a time."""

    def __init__(self, sock: socket.socket, max_frame_bytes: int):
        self.sock = sock
        self.max_frame_bytes = max_frame_bytes
        self._buffer = bytearray()
        self._pos = 0
        self.tls = False

    @classmethod
    def open(cls, host: str, port: int, tls: TlsSettings, max_frame_bytes: int,
             deadline: Optional[float]) -> "Channel":
        """Connects to ``host:port`` (trying each address the name resolves to) and negotiates TLS
        as ``tls`` says, all before ``deadline``. Raises ``OperationalError`` 08001 (refused,
        unresolvable, timeout, TLS failure) or 08P01 (the server broke the protocol)."""
        sock = _dial(host, port, deadline)
        channel = cls(sock, max_frame_bytes)
        try:
            if tls.mode != "disable":
                channel._negotiate_tls(host, tls, deadline)
        except BaseException:
            channel.close()
            raise
        return channel

    def _negotiate_tls(self, host: str, tls: TlsSettings, deadline: Optional[float]) -> None:
        request_id = 1
        self.send(wire.encode_frame(wire.TLS_REQUEST, request_id), deadline)
        type_id, answer_id, payload = self.receive(deadline)
        if answer_id != request_id:
            raise wire.ProtocolViolation("the answer to TLS_REQUEST carries request id %d" % answer_id)
        if type_id == wire.TLS_REFUSE:
            raise OperationalError("server does not support TLS, but tls=%s was requested" % tls.mode,
                                   UNABLE_TO_CONNECT)
        if type_id != wire.TLS_ACCEPT or payload:
            raise wire.ProtocolViolation("expected TLS_ACCEPT or TLS_REFUSE, received " + wire.message_name(type_id))
        # Bytes after TLS_ACCEPT came in clear text before the handshake: whoever sent them could
        # inject them into the encrypted session (PostgreSQL's CVE-2021-23222).
        if self._buffered() or _has_pending_bytes(self.sock):
            raise wire.ProtocolViolation("server sent unencrypted data after TLS_ACCEPT")
        context = _tls_context(tls)
        self.sock.settimeout(_remaining(deadline))
        try:
            self.sock = context.wrap_socket(self.sock, server_hostname=host)
        except ssl.SSLCertVerificationError as e:
            raise OperationalError("server certificate verification failed: %s" % (e.verify_message or e.reason),
                                   UNABLE_TO_CONNECT) from None
        except socket.timeout:
            raise Timeout() from None
        except (ssl.SSLError, OSError) as e:
            raise OperationalError("TLS handshake failed: %s" % e, UNABLE_TO_CONNECT) from None
        self.tls = True

    # --- frames --------------------------------------------------------------------------------

    def send(self, data: bytes, deadline: Optional[float] = None) -> None:
        """Writes ``data`` (whole frames) before ``deadline`` (None: no limit)."""
        try:
            self.sock.settimeout(_remaining(deadline))
            self.sock.sendall(data)
        except socket.timeout:
            raise Timeout("timeout expired while sending to the server") from None
        except OSError as e:
            raise _connection_lost("could not send data to the server: %s" % _reason(e)) from None

    def receive(self, deadline: Optional[float] = None) -> Tuple[int, int, bytes]:
        """The next frame as ``(type, request id, payload)``. The header is checked (known server
        message, length within ``max_frame_bytes``) before the payload is read. Raises ``Timeout``
        when ``deadline`` passes (the stream stays usable: nothing was consumed past a frame
        boundary), ``OperationalError`` 08006 when the connection is lost, ``ProtocolViolation``."""
        self._fill(wire.HEADER_BYTES, deadline)
        type_id, request_id, length = wire.HEADER.unpack_from(self._buffer, self._pos)
        wire.check_header(type_id, length, self.max_frame_bytes)
        self._fill(wire.HEADER_BYTES + length, deadline)
        start = self._pos + wire.HEADER_BYTES
        payload = bytes(self._buffer[start:start + length])
        self._pos = start + length
        return type_id, request_id, payload

    def _buffered(self) -> int:
        return len(self._buffer) - self._pos

    def _fill(self, need: int, deadline: Optional[float]) -> None:
        """Reads until ``need`` bytes past the read position are buffered."""
        if self._pos and self._pos * 2 >= len(self._buffer):
            del self._buffer[:self._pos]
            self._pos = 0
        while self._buffered() < need:
            try:
                self.sock.settimeout(_remaining(deadline))
                chunk = self.sock.recv(max(_READ_CHUNK, min(need - self._buffered(), 1 << 22)))
            except socket.timeout:
                raise Timeout("timeout expired while waiting for the server") from None
            except OSError as e:
                raise _connection_lost("could not receive data from the server: %s" % _reason(e)) from None
            if not chunk:
                raise _connection_lost("server closed the connection unexpectedly")
            self._buffer += chunk

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def _dial(host: str, port: int, deadline: Optional[float]) -> socket.socket:
    """A TCP connection to the first address of ``host`` that answers before ``deadline``."""
    try:
        addresses = socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    except socket.gaierror as e:
        raise OperationalError("could not resolve host name: %s" % _reason(e), UNABLE_TO_CONNECT) from None
    last = None  # type: Optional[OperationalError]
    for family, kind, proto, _, address in addresses:
        sock = socket.socket(family, kind, proto)
        try:
            sock.settimeout(_remaining(deadline))
            sock.connect(address)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return sock
        except socket.timeout:
            sock.close()
            last = Timeout()
        except Timeout as e:
            sock.close()
            last = e
            break
        except OSError as e:
            sock.close()
            last = OperationalError(_reason(e), UNABLE_TO_CONNECT)
    raise last or OperationalError("no address for host", UNABLE_TO_CONNECT)


def _has_pending_bytes(sock: socket.socket) -> bool:
    """Whether bytes wait to be read, without waiting for any (the socket is made
    non-blocking for the look: with a timeout, Python would wait for data first)."""
    timeout = sock.gettimeout()
    sock.settimeout(0)
    try:
        return bool(sock.recv(1, socket.MSG_PEEK))
    except OSError:  # BlockingIOError: nothing there
        return False
    finally:
        sock.settimeout(timeout)


def _tls_context(tls: TlsSettings) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    try:
        if tls.mode == "verify-full":
            context.check_hostname = True
            context.verify_mode = ssl.CERT_REQUIRED
            if tls.ca_file:
                context.load_verify_locations(cafile=tls.ca_file)
            else:
                context.load_default_certs()
        else:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        if tls.cert_file:
            context.load_cert_chain(tls.cert_file, tls.key_file)
    except (OSError, ssl.SSLError) as e:
        what = "trusted root certificates from \"%s\"" % tls.ca_file if tls.ca_file else "TLS certificates"
        raise OperationalError("could not load %s: %s" % (what, e), UNABLE_TO_CONNECT) from None
    return context
