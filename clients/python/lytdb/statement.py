"""What the client needs to know about a statement's text, and prepared statements.

LytDB runs schema changes and user management (CREATE, DROP, ALTER, GRANT, REVOKE) only outside
transaction blocks (25001 inside one, docs/transactions.md), so the DB-API's implicit BEGIN is
not sent before them; nor before transaction control the caller writes itself. The decision looks
at the first key word of the text only (after blanks and comments).
"""

from typing import Any, Optional

from .errors import InterfaceError, ProgrammingError

# First key words of statements that get no implicit BEGIN.
_NO_IMPLICIT_BEGIN = frozenset((
    "create", "drop", "alter", "grant", "revoke",  # refused inside blocks
    "begin", "start", "commit", "end", "rollback", "abort", "savepoint", "release",  # control
))


def first_keyword(sql: str) -> str:
    """The first word of ``sql`` in lower case, after blanks, ``--`` and ``/* */`` comments."""
    i, n = 0, len(sql)
    while i < n:
        if sql[i].isspace():
            i += 1
        elif sql.startswith("--", i):
            end = sql.find("\n", i)
            i = n if end < 0 else end + 1
        elif sql.startswith("/*", i):
            i = _skip_block_comment(sql, i)
        else:
            break
    start = i
    while i < n and (sql[i].isalpha() or sql[i] == "_"):
        i += 1
    return sql[start:i].lower()


def _skip_block_comment(sql: str, i: int) -> int:
    """The position after the (nested, as in PostgreSQL) comment opening at ``i``."""
    depth = 0
    while i < len(sql):
        if sql.startswith("/*", i):
            depth += 1
            i += 2
        elif sql.startswith("*/", i):
            depth -= 1
            i += 2
            if depth == 0:
                return i
        else:
            i += 1
    return i


def needs_transaction(sql: str) -> bool:
    """Whether the implicit BEGIN (autocommit off) goes before ``sql``."""
    return first_keyword(sql) not in _NO_IMPLICIT_BEGIN


class PreparedStatement:
    """A statement the server parsed once and keeps for the session under ``name``
    (``Connection.prepare``). Run it with ``cursor.execute(statement, params)``; it takes
    ``param_count`` parameters. ``close()`` frees it on the server (so does closing the
    connection). Belongs to the connection that prepared it."""

    def __init__(self, connection: Any, name: str, sql: str, param_count: int):
        self.connection = connection
        self.name = name
        self.sql = sql
        self.param_count = param_count
        self.needs_transaction = needs_transaction(sql)
        self.closed = False

    def check_usable(self, connection: Any, params: Any) -> None:
        """Raises InterfaceError unless this statement can run on ``connection``, ProgrammingError
        for a wrong number of ``params``."""
        if self.closed:
            raise InterfaceError("prepared statement \"%s\" is closed" % self.name)
        if connection is not self.connection:
            raise InterfaceError("prepared statement \"%s\" belongs to another connection" % self.name)
        if len(params) != self.param_count:
            raise ProgrammingError("prepared statement \"%s\" takes %d parameters, %d given"
                                 % (self.name, self.param_count, len(params)))

    def close(self) -> None:
        """Frees the statement on the server; later closes do nothing."""
        if not self.closed and not self.connection.closed:
            self.connection._close_prepared(self.name)
        self.closed = True

    def __enter__(self) -> "PreparedStatement":
        return self

    def __exit__(self, *exc: Optional[Any]) -> None:
        self.close()

    def __repr__(self) -> str:
        return "<lytdb.PreparedStatement %s (%d parameters): %r>" % (self.name, self.param_count, self.sql[:60])
