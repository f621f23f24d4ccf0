"""The lyt protocol's codec (docs/protocol.md): frames, the messages a client sends and the
ones it receives, and column batches. No I/O here (transport.py reads and writes frames).

Everything read from the server is checked: a frame's length against the client's maximum
before its payload is read, every ``string`` against what is left of its frame, counts against
the protocol's limits, no bytes left over. A violation raises ``ProtocolViolation``
(``OperationalError`` with SQLSTATE 08P01); the connection cannot go on after one.
"""

import struct
from typing import Any, List, NamedTuple, Sequence, Tuple

from . import types as t
from .errors import OperationalError, ProgrammingError, PROTOCOL_VIOLATION

HEADER = struct.Struct("<BII")  # type, request id, payload length
HEADER_BYTES = HEADER.size
DEFAULT_MAX_FRAME_BYTES = 64 << 20  # the C++ client's default too
MAX_BATCH_ROWS = 65536
MAX_BATCH_CELLS = 1 << 22
PROTOCOL_MAJOR, PROTOCOL_MINOR = 1, 0

# Client messages.
TLS_REQUEST = 0x01
HELLO = 0x02
AUTH_SCRAM_FIRST = 0x03
AUTH_SCRAM_FINAL = 0x04
QUERY = 0x10
PREPARE = 0x11
EXECUTE = 0x12
CLOSE = 0x13
PING = 0x14
CANCEL = 0x15
TERMINATE = 0x16
# Server messages.
TLS_ACCEPT = 0x81
TLS_REFUSE = 0x82
HELLO_OK = 0x83
AUTH_SCRAM_CHALLENGE = 0x84
AUTH_OK = 0x85
COLUMNS = 0x90
BATCH = 0x91
COMPLETE = 0x92
ERROR = 0x93
PREPARED = 0x94
CLOSED = 0x95
PONG = 0x96
NOTICE = 0x97
READY = 0x98

MESSAGE_NAMES = {
    TLS_REQUEST: "TLS_REQUEST", HELLO: "HELLO", AUTH_SCRAM_FIRST: "AUTH_SCRAM_FIRST",
    AUTH_SCRAM_FINAL: "AUTH_SCRAM_FINAL", QUERY: "QUERY", PREPARE: "PREPARE", EXECUTE: "EXECUTE",
    CLOSE: "CLOSE", PING: "PING", CANCEL: "CANCEL", TERMINATE: "TERMINATE", TLS_ACCEPT: "TLS_ACCEPT",
    TLS_REFUSE: "TLS_REFUSE", HELLO_OK: "HELLO_OK", AUTH_SCRAM_CHALLENGE: "AUTH_SCRAM_CHALLENGE",
    AUTH_OK: "AUTH_OK", COLUMNS: "COLUMNS", BATCH: "BATCH", COMPLETE: "COMPLETE", ERROR: "ERROR",
    PREPARED: "PREPARED", CLOSED: "CLOSED", PONG: "PONG", NOTICE: "NOTICE", READY: "READY",
}
SERVER_MESSAGES = frozenset(range(TLS_ACCEPT, AUTH_OK + 1)) | frozenset(range(COLUMNS, READY + 1))


class ProtocolViolation(OperationalError):
    """The server sent bytes that break docs/protocol.md (SQLSTATE 08P01)."""

    def __init__(self, message: str):
        super().__init__(message, PROTOCOL_VIOLATION)


def message_name(type_id: int) -> str:
    return MESSAGE_NAMES.get(type_id, "unknown message 0x%02x" % type_id)


# --- Writing ---------------------------------------------------------------------------------

def encode_string(text: Any) -> bytes:
    """A ``string`` / ``bytes`` field: u32 length then the bytes (str as UTF-8, surrogateescape)."""
    data = text.encode("utf-8", "surrogateescape") if isinstance(text, str) else bytes(text)
    return struct.pack("<I", len(data)) + data


def encode_frame(type_id: int, request_id: int, payload: bytes = b"") -> bytes:
    return HEADER.pack(type_id, request_id, len(payload)) + payload


def encode_hello(params: Sequence[Tuple[str, str]]) -> bytes:
    return struct.pack("<HHH", PROTOCOL_MAJOR, PROTOCOL_MINOR, len(params)) + b"".join(
        encode_string(k) + encode_string(v) for k, v in params)


_INTERVAL = struct.Struct("<iiq")
_FIXED_PARAM = {
    t.BOOLEAN_ID: struct.Struct("<B"), t.BIGINT_ID: struct.Struct("<q"), t.DOUBLE_ID: struct.Struct("<d"),
    t.DATE_ID: struct.Struct("<i"), t.TIMESTAMP_ID: struct.Struct("<q"),
}


def encode_value(value: Any) -> bytes:
    """One parameter value: its type id, then the value as in a batch (types.to_wire decides)."""
    type_id, plain = t.to_wire(value)
    if type_id == t.NULL_ID:
        return b"\x00"
    head = bytes((type_id,))
    if type_id in (t.VARCHAR_ID, t.BYTEA_ID):
        return head + encode_string(plain)
    if type_id == t.INTERVAL_ID:
        return head + _INTERVAL.pack(*plain)
    return head + _FIXED_PARAM[type_id].pack(plain)


def encode_values(params: Sequence[Any]) -> bytes:
    if len(params) > 65535:
        raise ProgrammingError("more than 65535 parameters", "54000")
    return struct.pack("<H", len(params)) + b"".join(encode_value(v) for v in params)


def encode_query(sql: str, params: Sequence[Any]) -> bytes:
    return encode_string(sql) + encode_values(params)


def encode_prepare(name: str, sql: str) -> bytes:
    return encode_string(name) + encode_string(sql)


def encode_execute(name: str, params: Sequence[Any]) -> bytes:
    return encode_string(name) + encode_values(params)


def encode_cancel(session_id: int, cancel_key: int) -> bytes:
    return struct.pack("<QQ", session_id, cancel_key)


# --- Reading ---------------------------------------------------------------------------------

class Reader:
    """Bounds-checked reads from one payload; ``what`` names the message in errors."""

    def __init__(self, payload: bytes, what: str):
        self.data = payload
        self.pos = 0
        self.what = what

    def remaining(self) -> int:
        return len(self.data) - self.pos

    def need(self, n: int) -> None:
        if n > self.remaining():
            raise ProtocolViolation("%s ends before its fields do" % self.what)

    def fixed(self, fmt: struct.Struct) -> Tuple:
        self.need(fmt.size)
        values = fmt.unpack_from(self.data, self.pos)
        self.pos += fmt.size
        return values

    def u8(self) -> int:
        return self.fixed(_U8)[0]

    def u16(self) -> int:
        return self.fixed(_U16)[0]

    def u32(self) -> int:
        return self.fixed(_U32)[0]

    def u64(self) -> int:
        return self.fixed(_U64)[0]

    def raw(self, n: int) -> bytes:
        self.need(n)
        self.pos += n
        return self.data[self.pos - n:self.pos]

    def bytes_(self) -> bytes:
        return self.raw(self.u32())

    def string(self) -> str:
        return self.bytes_().decode("utf-8", "surrogateescape")

    def array(self, code: str, size: int, count: int) -> Tuple:
        """``count`` fixed-width values of struct ``code`` (``size`` bytes each) at once."""
        self.need(size * count)
        values = struct.unpack_from("<%d%s" % (count, code), self.data, self.pos)
        self.pos += size * count
        return values

    def end(self) -> None:
        if self.pos != len(self.data):
            raise ProtocolViolation("%s has %d bytes left over" % (self.what, self.remaining()))


_U8, _U16, _U32, _U64 = struct.Struct("<B"), struct.Struct("<H"), struct.Struct("<I"), struct.Struct("<Q")


class Column(NamedTuple):
    name: str
    type_id: int
    modifier: int  # VARCHAR(n) length, else -1


class HelloOk(NamedTuple):
    major: int
    minor: int
    server_version: str
    auth_method: str


class AuthOk(NamedTuple):
    server_final: str
    session_id: int
    cancel_key: int
    database: str


class Complete(NamedTuple):
    tag: str
    rows: int


class ServerError(NamedTuple):
    sqlstate: str
    message: str
    line: int
    column: int


def _decoded(payload: bytes, type_id: int, read: Any) -> Any:
    """``read(reader)`` over the whole payload of a ``type_id`` frame, nothing left over."""
    reader = Reader(payload, message_name(type_id))
    result = read(reader)
    reader.end()
    return result


def decode_string_message(payload: bytes, type_id: int) -> str:
    """AUTH_SCRAM_CHALLENGE: one string."""
    return _decoded(payload, type_id, Reader.string)


def decode_hello_ok(payload: bytes) -> HelloOk:
    return _decoded(payload, HELLO_OK, lambda r: HelloOk(r.u16(), r.u16(), r.string(), r.string()))


def decode_auth_ok(payload: bytes) -> AuthOk:
    return _decoded(payload, AUTH_OK, lambda r: AuthOk(r.string(), r.u64(), r.u64(), r.string()))


def decode_complete(payload: bytes) -> Complete:
    return _decoded(payload, COMPLETE, lambda r: Complete(r.string(), r.u64()))


def _read_error(r: Reader) -> ServerError:
    sqlstate = r.string()
    if len(sqlstate) != 5:
        raise ProtocolViolation("SQLSTATE %r is not 5 characters" % sqlstate[:16])
    return ServerError(sqlstate, r.string(), r.u32(), r.u32())


def decode_error(payload: bytes) -> ServerError:
    return _decoded(payload, ERROR, _read_error)


def decode_notice(payload: bytes) -> Tuple[str, str]:
    return _decoded(payload, NOTICE, lambda r: (r.string(), r.string()))


def decode_ready(payload: bytes) -> str:
    status = chr(_decoded(payload, READY, Reader.u8))
    if status not in "ITE":
        raise ProtocolViolation("READY with an unknown transaction status %d" % ord(status))
    return status


def _type_id(r: Reader, allow_null: bool) -> int:
    type_id = r.u8()
    if type_id > t.INTERVAL_ID or (type_id == t.NULL_ID and not allow_null):
        raise ProtocolViolation("unknown type id %d" % type_id)
    return type_id


def _read_count(r: Reader, min_bytes: int, what: str) -> int:
    count = r.u16()
    if count * min_bytes > r.remaining():
        raise ProtocolViolation("%s count %d does not fit in the message" % (what, count))
    return count


def _read_columns(r: Reader) -> List[Column]:
    columns = []
    for _ in range(_read_count(r, 9, "column")):
        name = r.string()
        type_id = _type_id(r, False)
        modifier = r.fixed(_I32)[0]
        if modifier < -1 or (modifier != -1 and type_id != t.VARCHAR_ID):
            raise ProtocolViolation('bad type modifier %d for column "%s"' % (modifier, name))
        columns.append(Column(name, type_id, modifier))
    return columns


_I32 = struct.Struct("<i")


def decode_columns(payload: bytes) -> List[Column]:
    return _decoded(payload, COLUMNS, _read_columns)


def decode_prepared(payload: bytes) -> Tuple[int, List[Column]]:
    """PREPARED: the number of parameters (their type ids are all 0 today) and the columns."""
    def read(r: Reader) -> Tuple[int, List[Column]]:
        count = _read_count(r, 1, "parameter")
        for _ in range(count):
            _type_id(r, True)
        return count, _read_columns(r)
    return _decoded(payload, PREPARED, read)


# How a batch's non-NULL values of each fixed-width type are read at once: struct code, size,
# and the conversion to the Python value (None: the number as it is).
_FIXED_COLUMN = {
    t.BOOLEAN_ID: ("B", 1, None), t.SMALLINT_ID: ("h", 2, None), t.INTEGER_ID: ("i", 4, None),
    t.BIGINT_ID: ("q", 8, None), t.REAL_ID: ("f", 4, None), t.DOUBLE_ID: ("d", 8, None),
    t.DATE_ID: ("i", 4, t.date_from_days), t.TIMESTAMP_ID: ("q", 8, t.timestamp_from_micros),
}


def _column_values(r: Reader, type_id: int, count: int) -> List[Any]:
    """The ``count`` non-NULL values of one batch column, as Python values."""
    if type_id in _FIXED_COLUMN:
        code, size, convert = _FIXED_COLUMN[type_id]
        values = r.array(code, size, count)
        if type_id == t.BOOLEAN_ID:
            if any(v > 1 for v in values):
                raise ProtocolViolation("boolean value %d is neither 0 nor 1" % max(values))
            return [v == 1 for v in values]
        return list(values) if convert is None else [convert(v) for v in values]
    if type_id == t.VARCHAR_ID:
        return [r.string() for _ in range(count)]
    if type_id == t.BYTEA_ID:
        return [r.bytes_() for _ in range(count)]
    flat = r.array("iiq", 16, count)  # INTERVAL
    return [t.Interval(flat[i], flat[i + 1], flat[i + 2]) for i in range(0, 3 * count, 3)]


def decode_batch(payload: bytes, type_ids: Sequence[int]) -> List[Tuple]:
    """A BATCH of the columns ``type_ids`` (from the preceding COLUMNS) as a list of row tuples."""
    r = Reader(payload, "BATCH")
    rows = r.u32()
    if rows > MAX_BATCH_ROWS:
        raise ProtocolViolation("batch of %d rows exceeds %d" % (rows, MAX_BATCH_ROWS))
    validity_bytes = (rows + 7) // 8
    if len(type_ids) * validity_bytes > r.remaining():
        raise ProtocolViolation("batch column count %d does not fit in the message" % len(type_ids))
    if rows * len(type_ids) > MAX_BATCH_CELLS:
        raise ProtocolViolation("batch of %d rows x %d columns is too large" % (rows, len(type_ids)))
    columns = [_read_batch_column(r, type_id, rows, validity_bytes) for type_id in type_ids]
    r.end()
    return list(zip(*columns)) if columns else [()] * rows


def _read_batch_column(r: Reader, type_id: int, rows: int, validity_bytes: int) -> List[Any]:
    validity = r.raw(validity_bytes)
    valid = [i for i in range(rows) if validity[i >> 3] >> (i & 7) & 1]
    values = _column_values(r, type_id, len(valid))
    if len(valid) == rows:
        return values
    column = [None] * rows  # type: List[Any]
    for row, value in zip(valid, values):
        column[row] = value
    return column


def check_header(type_id: int, length: int, max_frame_bytes: int) -> None:
    """Rejects a frame header before its payload is read: unknown type or too long."""
    if type_id not in SERVER_MESSAGES:
        raise ProtocolViolation("unknown message type %d" % type_id)
    if length > max_frame_bytes:
        raise ProtocolViolation("message of %d bytes exceeds the limit of %d bytes" % (length, max_frame_bytes))
