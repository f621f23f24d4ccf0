"""lytdb: the pure-Python client of LytDB (PEP 249, DB-API 2.0) over the lyt protocol.

    import lytdb
    with lytdb.connect("lyt://admin:secret@localhost/main") as conn:
        cur = conn.cursor()
        cur.execute("SELECT name FROM users WHERE id = ?", (1,))
        print(cur.fetchone())

See docs/python.md in the LytDB repository.
"""

from .connection import Connection, connect
from .cursor import Cursor
from .errors import (DatabaseError, DataError, Error, IntegrityError, InterfaceError, InternalError,
                     NotSupportedError, OperationalError, ProgrammingError, UriError, Warning)
from .statement import PreparedStatement
from .types import (BINARY, BOOLEAN, DATETIME, NUMBER, ROWID, STRING, Binary, Date, DateFromTicks, Interval,
                    Time, TimeFromTicks, Timestamp, TimestampFromTicks)
from .uri import ConnectionUri, format_uri, parse_uri

__version__ = "0.1.0"

apilevel = "2.0"
# Threads may share the module, not connections (cancel() excepted).
threadsafety = 1
# The server's own placeholders: ? (numbered in order) or $1, $2, ...; values are sent apart
# from the SQL text, never substituted into it.
paramstyle = "qmark"

__all__ = [
    "apilevel", "threadsafety", "paramstyle", "connect", "Connection", "Cursor", "PreparedStatement",
    "Warning", "Error", "InterfaceError", "DatabaseError", "DataError", "OperationalError", "IntegrityError",
    "InternalError", "ProgrammingError", "NotSupportedError", "UriError",
    "Date", "Time", "Timestamp", "DateFromTicks", "TimeFromTicks", "TimestampFromTicks", "Binary",
    "STRING", "BINARY", "NUMBER", "DATETIME", "ROWID", "BOOLEAN", "Interval",
    "ConnectionUri", "parse_uri", "format_uri",
]
