"""SQL types <-> Python values: the wire type ids of docs/protocol.md, PEP 249's type objects
and constructors, and the ``Interval`` value.

| SQL type (wire id)          | Python value read          | Python values sent as it          |
|-----------------------------|----------------------------|-----------------------------------|
| BOOLEAN (1)                 | bool                       | bool                              |
| SMALLINT, INTEGER (2, 3)    | int                        | -                                 |
| BIGINT (4)                  | int                        | int (-2**63 .. 2**63-1)           |
| REAL, DOUBLE PRECISION (5,6)| float                      | float, decimal.Decimal            |
| TEXT / VARCHAR (7)          | str                        | str                               |
| BYTEA (8)                   | bytes                      | bytes, bytearray, memoryview      |
| DATE (9)                    | datetime.date              | datetime.date                     |
| TIMESTAMP (10)              | datetime.datetime (naive)  | datetime.datetime (aware: as UTC) |
| INTERVAL (11)               | Interval                   | Interval, datetime.timedelta      |
| NULL (0, parameters only)   | None                       | None                              |
"""

import datetime
import decimal
from typing import Any, NamedTuple, Optional

from .errors import DataError, NotSupportedError, ProgrammingError

# Wire type ids (docs/protocol.md, "Column batches").
NULL_ID = 0
BOOLEAN_ID = 1
SMALLINT_ID = 2
INTEGER_ID = 3
BIGINT_ID = 4
REAL_ID = 5
DOUBLE_ID = 6
VARCHAR_ID = 7
BYTEA_ID = 8
DATE_ID = 9
TIMESTAMP_ID = 10
INTERVAL_ID = 11

TYPE_NAMES = {
    BOOLEAN_ID: "BOOLEAN", SMALLINT_ID: "SMALLINT", INTEGER_ID: "INTEGER", BIGINT_ID: "BIGINT",
    REAL_ID: "REAL", DOUBLE_ID: "DOUBLE PRECISION", VARCHAR_ID: "VARCHAR", BYTEA_ID: "BYTEA",
    DATE_ID: "DATE", TIMESTAMP_ID: "TIMESTAMP", INTERVAL_ID: "INTERVAL",
}

EPOCH_DATE = datetime.date(1970, 1, 1)
EPOCH = datetime.datetime(1970, 1, 1)
_INT64_MIN, _INT64_MAX = -(1 << 63), (1 << 63) - 1
_INT32_MIN, _INT32_MAX = -(1 << 31), (1 << 31) - 1


class Interval(NamedTuple):
    """An SQL INTERVAL: months, days and microseconds, kept apart as the server keeps them
    (a month has no fixed number of days). ``Interval(0, 1, 0)`` is ``1 day``."""

    months: int = 0
    days: int = 0
    microseconds: int = 0

    def to_timedelta(self) -> datetime.timedelta:
        """The interval as a ``timedelta``; ``ValueError`` when it has months (no fixed length)."""
        if self.months:
            raise ValueError("an interval with months has no fixed length: %r" % (self,))
        return datetime.timedelta(days=self.days, microseconds=self.microseconds)

    @classmethod
    def from_timedelta(cls, delta: datetime.timedelta) -> "Interval":
        return cls(0, delta.days, delta.seconds * 1000000 + delta.microseconds)


# --- PEP 249 type objects and constructors ---------------------------------------------------

class DBAPITypeObject:
    """Compares equal to every wire type id of its group (``description[i][1] == NUMBER``)."""

    def __init__(self, name: str, *type_ids: int):
        self.name = name
        self.type_ids = frozenset(type_ids)

    def __eq__(self, other: Any) -> bool:
        if isinstance(other, DBAPITypeObject):
            return self.type_ids == other.type_ids
        return other in self.type_ids

    def __ne__(self, other: Any) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return hash(self.type_ids)

    def __repr__(self) -> str:
        return "<lytdb type %s>" % self.name


STRING = DBAPITypeObject("STRING", VARCHAR_ID)
BINARY = DBAPITypeObject("BINARY", BYTEA_ID)
NUMBER = DBAPITypeObject("NUMBER", SMALLINT_ID, INTEGER_ID, BIGINT_ID, REAL_ID, DOUBLE_ID)
DATETIME = DBAPITypeObject("DATETIME", DATE_ID, TIMESTAMP_ID, INTERVAL_ID)
ROWID = DBAPITypeObject("ROWID")  # LytDB has no row id type: equal to no column
BOOLEAN = DBAPITypeObject("BOOLEAN", BOOLEAN_ID)

Date = datetime.date
Time = datetime.time  # constructs a value, but LytDB has no TIME type: sending one is NotSupportedError
Timestamp = datetime.datetime


def Binary(data: Any) -> bytes:  # noqa: N802 - PEP 249's name
    return bytes(data)


def DateFromTicks(ticks: float) -> datetime.date:  # noqa: N802
    return datetime.date.fromtimestamp(ticks)


def TimeFromTicks(ticks: float) -> datetime.time:  # noqa: N802
    return datetime.datetime.fromtimestamp(ticks).time()


def TimestampFromTicks(ticks: float) -> datetime.datetime:  # noqa: N802
    return datetime.datetime.fromtimestamp(ticks)


# --- Python -> wire (parameters) -------------------------------------------------------------

def to_wire(value: Any) -> "tuple":
    """``(type id, plain value)`` for a parameter: the value as the codec writes it (int, float,
    str, bytes, days, microseconds, or an Interval). Raises ``ProgrammingError`` for a Python
    type with no SQL counterpart, ``NotSupportedError`` for ``datetime.time`` and ``DataError``
    for a value out of the SQL type's range."""
    if value is None:
        return NULL_ID, None
    if isinstance(value, bool):
        return BOOLEAN_ID, value
    if isinstance(value, int):
        if not _INT64_MIN <= value <= _INT64_MAX:
            raise DataError("integer %d is out of range for BIGINT" % value, "22003")
        return BIGINT_ID, value
    if isinstance(value, (float, decimal.Decimal)):
        return DOUBLE_ID, float(value)
    if isinstance(value, str):
        return VARCHAR_ID, value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return BYTEA_ID, bytes(value)
    if isinstance(value, datetime.datetime):
        return TIMESTAMP_ID, _timestamp_micros(value)
    if isinstance(value, datetime.date):
        return DATE_ID, (value - EPOCH_DATE).days
    if isinstance(value, Interval):
        return INTERVAL_ID, _checked_interval(value)
    if isinstance(value, datetime.timedelta):
        return INTERVAL_ID, _checked_interval(Interval.from_timedelta(value))
    if isinstance(value, datetime.time):
        raise NotSupportedError("LytDB has no TIME type; send a datetime.datetime or an interval", "0A000")
    raise ProgrammingError("cannot send a value of type %s as a parameter" % type(value).__name__, "42804")


def _timestamp_micros(value: datetime.datetime) -> int:
    if value.tzinfo is not None and value.utcoffset() is not None:
        value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    delta = value.replace(tzinfo=None) - EPOCH
    return (delta.days * 86400 + delta.seconds) * 1000000 + delta.microseconds


def _checked_interval(value: Interval) -> Interval:
    if not (_INT32_MIN <= value.months <= _INT32_MAX and _INT32_MIN <= value.days <= _INT32_MAX
            and _INT64_MIN <= value.microseconds <= _INT64_MAX):
        raise DataError("interval %r is out of range" % (value,), "22008")
    return value


# --- wire -> Python (result values) ----------------------------------------------------------

def date_from_days(days: int) -> datetime.date:
    """The DATE ``days`` after 1970-01-01; ``DataError`` outside Python's years 1..9999."""
    try:
        return EPOCH_DATE + datetime.timedelta(days=days)
    except OverflowError:
        raise DataError("date %d days from 1970-01-01 is outside Python's range (years 1..9999)" % days,
                        "22008") from None


def timestamp_from_micros(micros: int) -> datetime.datetime:
    """The TIMESTAMP ``micros`` after 1970-01-01 00:00; ``DataError`` outside years 1..9999."""
    try:
        return EPOCH + datetime.timedelta(microseconds=micros)
    except OverflowError:
        raise DataError("timestamp %d microseconds from 1970-01-01 is outside Python's range (years 1..9999)"
                        % micros, "22008") from None


def type_name(type_id: int) -> Optional[str]:
    return TYPE_NAMES.get(type_id)
