"""The PEP 249 cursor: statements with ``?`` (or ``$n``) parameters, rows streamed batch by batch.

Rows are read from the server as they are fetched: ``fetchone`` / ``fetchmany`` / iteration
hold at most one result batch (up to 2048 rows) beyond what they return. If another request
needs the connection while a cursor still has rows to read (another cursor's ``execute``,
``commit``), that cursor's remaining rows are read into memory first, so they stay fetchable.

A text with several statements runs all of them. The cursor shows the first statement that
returns rows (its ``description`` and rows), or, when none does, the last statement's
``rowcount``. Statements after a row result are read once its rows are fetched (their rows are
dropped); an error of theirs is raised by the fetch that reaches the end of the rows, or by the
cursor's next ``execute``. A statement that fails after sending some rows raises its error from
the fetch that reaches it.
"""

import collections
from collections.abc import Mapping
from typing import Any, Deque, Iterable, Iterator, List, Optional, Sequence, Tuple

from . import wire
from .errors import Error, InterfaceError, NotSupportedError, ProgrammingError
from .response import Response
from .statement import PreparedStatement, needs_transaction


class Cursor:
    """Created by ``Connection.cursor()``. Not thread-safe.

    ``description``: one 7-tuple per column ``(name, type_code, None, internal_size, None,
    None, None)`` (type_code: the wire type id, compare with ``lytdb.NUMBER`` etc.;
    internal_size: n of VARCHAR(n), else None), or None for a statement without rows.
    ``rowcount``: rows changed by the last INSERT / UPDATE / DELETE (summed by executemany), or
    the number of rows of a query once all were read; -1 before that. ``statusmessage``: the
    command tag (``INSERT 0 1``) of the statement shown.
    """

    def __init__(self, connection: Any):
        self.connection = connection
        self.arraysize = 1
        self.lastrowid = None
        self._closed = False
        self._response = None  # type: Optional[Response]  # still being read
        self._reset()

    def _reset(self) -> None:
        self.description = None  # type: Optional[List[Tuple]]
        self.rowcount = -1
        self.statusmessage = None  # type: Optional[str]
        self._rows = collections.deque()  # type: Deque[Tuple]
        self._in_rows = False  # more BATCHes of the shown result may come
        self._pending_error = None  # type: Optional[Error]

    # --- executing -------------------------------------------------------------------------------

    def execute(self, operation: Any, parameters: Optional[Sequence[Any]] = None) -> "Cursor":
        """Runs ``operation`` (SQL text, or a ``PreparedStatement``) with ``parameters`` (a
        sequence, one value per ``?`` / ``$n``). With autocommit off, a transaction is opened
        first when none is (not before CREATE / DROP / ALTER / GRANT / REVOKE, which LytDB runs
        outside transactions). Returns the cursor. Raises the server's error for the first
        failing statement (before any row result)."""
        self._start()
        params = _parameters(parameters)
        type_id, payload, transactional = self._request(operation, params)
        self._response = self.connection._statements(type_id, [payload], self, transactional)[0]
        self._read_to_rows()
        return self

    def executemany(self, operation: Any, seq_of_parameters: Iterable[Sequence[Any]]) -> None:
        """Runs ``operation`` once per parameter sequence, prepared once on the server. Inside a
        transaction the executions are pipelined (up to 64 in flight); with autocommit each waits
        for the one before. ``rowcount`` is the total; rows the statement returns are dropped.
        The first error is raised and no further executions are sent after it."""
        self._start()
        owned = not isinstance(operation, PreparedStatement)
        statement = self.connection.prepare(operation) if owned else operation
        try:
            self.rowcount = self._execute_all(statement, seq_of_parameters)
        finally:
            if owned:
                statement.close()

    def _execute_all(self, statement: PreparedStatement, seq_of_parameters: Iterable[Sequence[Any]]) -> int:
        connection = self.connection
        pipelined = not connection.autocommit and statement.needs_transaction
        window = 64 if pipelined else 1
        total = 0
        chunk = []  # type: List[bytes]
        for parameters in seq_of_parameters:
            params = _parameters(parameters)
            statement.check_usable(connection, params)
            chunk.append(wire.encode_execute(statement.name, params))
            if len(chunk) == window:
                total += self._run_chunk(chunk, statement.needs_transaction)
                chunk = []
        if chunk:
            total += self._run_chunk(chunk, statement.needs_transaction)
        return total

    def _run_chunk(self, payloads: List[bytes], transactional: bool) -> int:
        """Sends the EXECUTEs, reads every response; returns the rows changed, raises the first
        error."""
        responses = self.connection._statements(wire.EXECUTE, payloads, self, transactional)
        total, first_error = 0, None
        for response in responses:
            while not response.done:
                event = response.next()
                if event.kind == wire.COMPLETE:
                    total += event.value.rows
                elif event.kind == wire.ERROR and first_error is None:
                    first_error = event.value
        if first_error is not None:
            raise first_error
        return total

    def _request(self, operation: Any, params: List[Any]) -> Tuple[int, bytes, bool]:
        """(message type, payload, whether the implicit BEGIN applies) for ``operation``."""
        if isinstance(operation, PreparedStatement):
            operation.check_usable(self.connection, params)
            return wire.EXECUTE, wire.encode_execute(operation.name, params), operation.needs_transaction
        if isinstance(operation, str):
            return wire.QUERY, wire.encode_query(operation, params), needs_transaction(operation)
        raise ProgrammingError("operation must be SQL text or a PreparedStatement, not %s" % type(operation).__name__)

    def _start(self) -> None:
        """Checks the cursor is usable and finishes its previous statement: its remaining rows
        are dropped; an error it left is raised (the new statement is then not sent)."""
        self._check_open()
        error = self._pending_error
        if self._response is not None:
            response, self._response = self._response, None
            error = error or response.drain()
        self._reset()
        if error is not None:
            raise error

    def _read_to_rows(self) -> None:
        """Reads the response up to the first row result's COLUMNS, or to its end."""
        error = None
        while self._response is not None:
            event = self._response.next()
            if event.kind == wire.COLUMNS and error is None:
                self.description = [_describe(column) for column in event.value]
                self._in_rows = True
                return
            if event.kind == wire.COMPLETE:
                self.rowcount, self.statusmessage = event.value.rows, event.value.tag
            elif event.kind == wire.ERROR:
                error = error or event.value
            elif event.kind == wire.READY:
                self._response = None
        if error is not None:
            raise error

    # --- fetching --------------------------------------------------------------------------------

    def fetchone(self) -> Optional[Tuple]:
        """The next row, or None when there are no more."""
        self._check_fetch()
        if not self._rows:
            self._fill(1)
        return self._rows.popleft() if self._rows else None

    def fetchmany(self, size: Optional[int] = None) -> List[Tuple]:
        """The next ``size`` rows (default ``arraysize``); fewer at the end."""
        self._check_fetch()
        size = self.arraysize if size is None else size
        self._fill(size)
        return [self._rows.popleft() for _ in range(min(size, len(self._rows)))]

    def fetchall(self) -> List[Tuple]:
        """Every remaining row (all in memory: prefer iteration or fetchmany for large results)."""
        self._check_fetch()
        self._fill(None)
        rows = list(self._rows)
        self._rows.clear()
        return rows

    def __iter__(self) -> Iterator[Tuple]:
        return self

    def __next__(self) -> Tuple:
        row = self.fetchone()
        if row is None:
            raise StopIteration
        return row

    def _fill(self, wanted: Optional[int]) -> None:
        """Reads batches until ``wanted`` rows are buffered (None: all) or the rows end; then
        raises an error left by the statements after them."""
        while self._in_rows and (wanted is None or len(self._rows) < wanted):
            self._read_batch()
        if not self._in_rows and not self._rows and self._pending_error is not None:
            error, self._pending_error = self._pending_error, None
            raise error

    def _read_batch(self) -> None:
        event = self._response.next()  # type: ignore[union-attr]
        if event.kind == wire.BATCH:
            self._rows.extend(event.value)
            return
        self._in_rows = False
        if event.kind == wire.COMPLETE:
            self.rowcount, self.statusmessage = event.value.rows, event.value.tag
            self._pending_error = self._response.drain()  # type: ignore[union-attr]
        else:  # ERROR of the statement whose rows these were
            self._response.drain()  # type: ignore[union-attr]
            self._pending_error = event.value
        self._response = None

    def _detach(self) -> None:
        """Another request needs the connection: the remaining rows are read into memory."""
        while self._in_rows:
            self._read_batch()
        if self._response is not None:
            self._pending_error = self._pending_error or self._response.drain()
            self._response = None

    # --- the rest of PEP 249 ---------------------------------------------------------------------

    def close(self) -> None:
        """Frees the cursor; unread rows are read and dropped. Idempotent."""
        if self._closed:
            return
        self._closed = True
        response, self._response = self._response, None
        self._rows.clear()
        if response is not None and not self.connection.closed:
            try:
                response.drain()
            except Error:
                pass  # the connection is broken: its next use says so

    @property
    def closed(self) -> bool:
        return self._closed

    def callproc(self, procname: str, parameters: Sequence[Any] = ()) -> None:
        raise NotSupportedError("LytDB has no stored procedures", "0A000")

    def setinputsizes(self, sizes: Any) -> None:
        """Does nothing (allowed by PEP 249): parameter types come from the values."""

    def setoutputsize(self, size: int, column: Optional[int] = None) -> None:
        """Does nothing (allowed by PEP 249)."""

    def __enter__(self) -> "Cursor":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _check_open(self) -> None:
        if self._closed:
            raise InterfaceError("cursor is closed")
        self.connection._check_open()

    def _check_fetch(self) -> None:
        self._check_open()
        if self.description is None:
            raise ProgrammingError("no results to fetch: the last statement returned no rows")


def _parameters(parameters: Optional[Sequence[Any]]) -> List[Any]:
    """The parameter values as a list; mappings and strings are refused (paramstyle qmark)."""
    if parameters is None:
        return []
    if isinstance(parameters, (str, bytes, bytearray, Mapping)):
        raise ProgrammingError("parameters must be a sequence such as a tuple or a list (paramstyle qmark: "
                               "one value per ? or $n)")
    return list(parameters)


def _describe(column: wire.Column) -> Tuple:
    size = column.modifier if column.modifier >= 0 else None
    return (column.name, column.type_id, None, size, None, None, None)
