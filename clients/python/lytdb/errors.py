"""The PEP 249 exception hierarchy, and how a server's SQLSTATE picks a class.

Every exception this package raises for a database or connection problem is an ``Error``
subclass carrying ``sqlstate`` (5 characters, or ``None`` for a purely client-side misuse),
``message`` (the text without the SQLSTATE) and ``line`` / ``column`` (1-based position in the
SQL text, 0 when unknown; ``position`` is ``(line, column)`` or ``None``).
"""

from typing import Optional, Tuple


class Warning(Exception):  # noqa: A001 - the name PEP 249 requires
    """Important warnings (PEP 249). The server's notices are kept in ``Connection.notices``."""


class Error(Exception):
    """Base class of every error of this package (PEP 249)."""

    def __init__(self, message: str, sqlstate: Optional[str] = None, line: int = 0, column: int = 0):
        super().__init__(message)
        self.message = message
        self.sqlstate = sqlstate
        self.line = line
        self.column = column

    @property
    def position(self) -> Optional[Tuple[int, int]]:
        """``(line, column)`` of the error in the SQL text, or ``None`` when the server gave none."""
        return (self.line, self.column) if self.line or self.column else None

    def __str__(self) -> str:
        text = self.message if self.sqlstate is None else "ERROR %s: %s" % (self.sqlstate, self.message)
        if self.position is not None:
            text += " (at %d:%d)" % self.position
        return text


class InterfaceError(Error):
    """Misuse of this module itself (a closed cursor or connection, a bad argument)."""


class DatabaseError(Error):
    """An error reported by the database or on the way to it."""


class DataError(DatabaseError):
    """Bad data: a value out of range, a division by zero, bad text for a type (class 22)."""


class OperationalError(DatabaseError):
    """Connection failures, cancels, timeouts, resources, serialization conflicts."""


class IntegrityError(DatabaseError):
    """A constraint failed: duplicate key, NOT NULL (class 23)."""


class InternalError(DatabaseError):
    """The database's internal state: a failed transaction block, internal errors."""


class ProgrammingError(DatabaseError):
    """Syntax errors, unknown tables or columns, missing privileges, wrong parameters."""


class NotSupportedError(DatabaseError):
    """A feature the server or this client does not have (0A000)."""


class UriError(ProgrammingError):
    """A connection URI that breaks the grammar of docs/connecting.md (SQLSTATE 22023)."""


# SQLSTATE class (first two characters) -> exception class; others are DatabaseError.
# Follows the usual mapping of PostgreSQL drivers.
_CLASSES = {
    "08": OperationalError,   # connection exception
    "0A": NotSupportedError,  # feature not supported
    "21": ProgrammingError,   # cardinality violation
    "22": DataError,          # data exception
    "23": IntegrityError,     # integrity constraint violation
    "24": InternalError,      # invalid cursor state
    "25": InternalError,      # invalid transaction state
    "26": ProgrammingError,   # invalid SQL statement name
    "27": OperationalError,   # triggered data change violation
    "28": OperationalError,   # invalid authorization specification
    "2B": InternalError,
    "2D": InternalError,
    "2F": InternalError,
    "34": ProgrammingError,   # invalid cursor name
    "38": InternalError,
    "39": InternalError,
    "3B": InternalError,      # savepoint exception
    "3D": ProgrammingError,   # invalid catalog (database) name
    "3F": ProgrammingError,   # invalid schema name
    "40": OperationalError,   # transaction rollback (40001 serialization failure)
    "42": ProgrammingError,   # syntax error or access rule violation
    "44": ProgrammingError,
    "53": OperationalError,   # insufficient resources
    "54": OperationalError,   # program limit exceeded
    "55": OperationalError,   # object not in prerequisite state
    "57": OperationalError,   # operator intervention (57014 canceled)
    "58": OperationalError,   # system error
    "XX": InternalError,      # internal error
}


def class_for_sqlstate(sqlstate: str) -> type:
    """The ``Error`` subclass for ``sqlstate`` (by its class, the first two characters)."""
    return _CLASSES.get(sqlstate[:2], DatabaseError)


def from_server(sqlstate: str, message: str, line: int = 0, column: int = 0) -> Error:
    """An exception of the class ``sqlstate`` maps to, carrying the server's fields."""
    return class_for_sqlstate(sqlstate)(message, sqlstate, line, column)


# SQLSTATEs this client raises itself, as the C++ client does (docs/client.md).
UNABLE_TO_CONNECT = "08001"
CONNECTION_FAILURE = "08006"
PROTOCOL_VIOLATION = "08P01"
INVALID_AUTHORIZATION = "28000"
QUERY_CANCELED = "57014"
