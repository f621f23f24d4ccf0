"""Reading the response to one request, a frame at a time, so that a cursor can stream rows.

The response to a QUERY or an EXECUTE (docs/protocol.md) is, per statement run, COLUMNS, BATCHes
and COMPLETE, or just COMPLETE, or ERROR (which ends the statements); then READY. NOTICEs may come
anywhere and go to ``Connection.notices``. A frame with request id 0 is the server's own: an ERROR
there means the server is closing the connection.
"""

from typing import Any, List, NamedTuple, Optional

from . import wire
from .errors import Error, OperationalError, from_server, QUERY_CANCELED


class Event(NamedTuple):
    """One step of a response. ``kind`` is the frame's: COLUMNS (``value``: list of wire.Column),
    BATCH (list of row tuples), COMPLETE (wire.Complete), ERROR (an ``Error`` to raise), READY
    (the transaction status 'I', 'T' or 'E'), or PREPARED / CLOSED / PONG (their payloads)."""

    kind: int
    value: Any


class Response:
    """The frames of request ``request_id``, read on demand from ``connection``'s channel.

    ``ends_with_ready``: a QUERY or EXECUTE (ends with READY); else the answer is one frame.
    ``done`` turns true once the last frame was read; the connection's wire is free from then.
    """

    def __init__(self, connection: Any, request_id: int, ends_with_ready: bool):
        self.connection = connection
        self.request_id = request_id
        self.ends_with_ready = ends_with_ready
        self.done = False
        self.owner = None  # type: Any  # the Cursor reading it, if any
        self.timed_out = False  # the client canceled it after its query timeout
        self._types = []  # type: List[int]  # of the columns whose BATCHes come now
        self._in_rows = False

    def next(self) -> Event:
        """The next event. Raises ``OperationalError`` when the connection fails (it is then
        broken); a statement's ERROR is returned as an event, not raised."""
        assert not self.done, "response already read"
        while True:
            type_id, payload = self.connection._receive_for(self)
            event = self._decode(type_id, payload)
            if event is not None:
                return event

    def _decode(self, type_id: int, payload: bytes) -> Optional[Event]:
        if type_id == wire.NOTICE:
            self.connection._add_notice(*wire.decode_notice(payload))
            return None
        if type_id == wire.COLUMNS:
            columns = wire.decode_columns(payload)
            self._types = [c.type_id for c in columns]
            self._in_rows = True
            return Event(type_id, columns)
        if type_id == wire.BATCH:
            if not self._in_rows:
                raise wire.ProtocolViolation("BATCH without COLUMNS before it")
            return Event(type_id, wire.decode_batch(payload, self._types))
        if type_id == wire.COMPLETE:
            self._types, self._in_rows = [], False
            return Event(type_id, wire.decode_complete(payload))
        if type_id == wire.ERROR:
            self._types, self._in_rows = [], False
            error = statement_error(wire.decode_error(payload))
            if self.timed_out:
                error = canceled_by_timeout(error, self.connection._settings.query_timeout)
            self.done = not self.ends_with_ready
            return Event(type_id, error)
        if type_id == wire.READY and self.ends_with_ready:
            status = wire.decode_ready(payload)
            self.done = True
            self.connection._transaction_status = status
            return Event(type_id, status)
        if type_id in (wire.PREPARED, wire.CLOSED, wire.PONG) and not self.ends_with_ready:
            self.done = True
            return Event(type_id, payload)
        raise wire.ProtocolViolation("unexpected %s in a response" % wire.message_name(type_id))

    def drain(self) -> Optional[Error]:
        """Reads to the end, dropping rows. Returns the first statement ERROR, if any."""
        first = None  # type: Optional[Error]
        while not self.done:
            event = self.next()
            if event.kind == wire.ERROR and first is None:
                first = event.value
        return first


def canceled_by_timeout(error: Error, seconds: float) -> Error:
    """The server's 57014 for a cancel the client sent because ``seconds`` passed."""
    if error.sqlstate != QUERY_CANCELED:
        return error
    return OperationalError("canceling statement due to client query timeout (%g s)" % seconds, QUERY_CANCELED,
                            error.line, error.column)


def statement_error(error: wire.ServerError) -> Error:
    return from_server(error.sqlstate, error.message, error.line, error.column)
