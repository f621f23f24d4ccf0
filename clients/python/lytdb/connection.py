"""``connect()`` and the ``Connection``: the hosts of the URI tried in turn, the login (HELLO,
SCRAM-SHA-256), requests and their responses, transactions, cancel, prepared statements.

A connection is used by one thread at a time; ``cancel()`` may be called from any thread.
"""

import collections
import getpass
import itertools
from typing import Any, Deque, List, Optional, Sequence, Tuple

from . import wire
from .cursor import Cursor
from .errors import Error, InterfaceError, InternalError, OperationalError, CONNECTION_FAILURE, UNABLE_TO_CONNECT
from .response import Response, statement_error
from .scram import ScramClient
from .statement import PreparedStatement
from .transport import Channel, Timeout, TlsSettings, deadline_after
from .uri import ConnectionUri, format_address, parse_uri
from . import errors as _errors

CLIENT_NAME = "lytdb-python 0.1"
MAX_NOTICES = 100
_CANCEL_TIMEOUT = 10.0     # a cancel without connect timeout still gives up after this long
_CANCEL_GRACE = 5.0        # after a query timeout's cancel, how long the server has to answer
_MAX_CANCEL_ANSWER = 1 << 16
_PIPELINE_WINDOW = 64      # EXECUTEs in flight at once in executemany (the server queues 64)
_prepared_names = itertools.count(1)


class _Rejected(Exception):
    """The server refused the login: no other host is tried."""

    def __init__(self, error: Error):
        super().__init__(str(error))
        self.error = error


def connect(uri: str, *, user: Optional[str] = None, password: Optional[str] = None,
            connect_timeout: Optional[float] = None, query_timeout: Optional[float] = None,
            tls_ca_file: Optional[str] = None, tls_cert_file: Optional[str] = None,
            tls_key_file: Optional[str] = None, autocommit: bool = False,
            max_frame_bytes: int = wire.DEFAULT_MAX_FRAME_BYTES) -> "Connection":
    """Opens a session on the first host of ``uri`` (docs/connecting.md) that accepts it.

    Per host, in the order written: TCP, TLS as the URI's ``tls`` says, HELLO and SCRAM, all
    within the connect timeout (``connect_timeout`` seconds, else the URI's, else none). A host
    that cannot be reached, times out, fails TLS or breaks the protocol is skipped for the next;
    an error the server sends during the login (28P01 wrong password, 3D000 unknown database,
    53300 too many connections) is raised at once. User: the URI's, else ``user``, else the login
    name of the process. Password: ``password``, else the URI's, else empty.

    ``query_timeout``: seconds the client waits for the next frame of a response before it
    cancels the statement (57014, "client query timeout"); 5 s later without an answer the
    connection is broken. ``tls_ca_file``: PEM roots for ``tls=verify-full``. Raises
    ``UriError`` (a ``ProgrammingError``) for a bad URI and ``OperationalError`` otherwise
    (08001 when no host could be reached, naming each).
    """
    parsed = parse_uri(uri)
    settings = _Settings(parsed, user, password, connect_timeout, query_timeout,
                         TlsSettings(parsed.tls, tls_ca_file, tls_cert_file, tls_key_file), max_frame_bytes)
    failures = []  # type: List[Tuple[Tuple[str, int], Error]]
    for host, port in parsed.hosts:
        try:
            connection = Connection(settings, host, port)
        except _Rejected as rejected:
            raise rejected.error from None
        except OperationalError as e:
            failures.append(((host, port), Error("timeout expired") if isinstance(e, Timeout) else e))
            continue
        connection.autocommit = autocommit
        return connection
    raise _all_hosts_failed(failures)


def _all_hosts_failed(failures: List[Tuple[Tuple[str, int], Error]]) -> OperationalError:
    described = ['"%s": %s' % (format_address(*address), e.message) for address, e in failures]
    if len(failures) == 1:
        return OperationalError("could not connect to server " + described[0],
                                failures[0][1].sqlstate or UNABLE_TO_CONNECT)
    return OperationalError("could not connect to any of %d hosts: %s" % (len(failures), "; ".join(described)),
                            UNABLE_TO_CONNECT)


class _Settings:
    """What ``connect`` was given, resolved: kept by the connection for cancel requests."""

    def __init__(self, uri: ConnectionUri, user: Optional[str], password: Optional[str],
                 connect_timeout: Optional[float], query_timeout: Optional[float], tls: TlsSettings,
                 max_frame_bytes: int):
        self.user = uri.user or user or getpass.getuser()
        self.password = password if password is not None else (uri.password or "")
        self.database = uri.database
        self.application_name = uri.application_name
        self.connect_timeout = connect_timeout if connect_timeout is not None else float(uri.connect_timeout)
        self.query_timeout = query_timeout
        self.tls = tls
        self.max_frame_bytes = max_frame_bytes


class Connection:
    """A session on one server (PEP 249). Create it with ``lytdb.connect``.

    Attributes: ``autocommit`` (False by default: the first statement opens a transaction that
    ``commit()`` or ``rollback()`` ends), ``host`` and ``port`` of the server, ``database`` (as
    the server confirmed it), ``server_version``, ``session_id``, ``notices`` (the last 100
    ``(sqlstate, message)`` NOTICEs), ``transaction_status`` ('I' idle, 'T' in a block, 'E' in a
    failed block), ``closed``.
    """

    # PEP 249's optional extension: the exceptions as attributes of the connection.
    Warning = _errors.Warning
    Error = _errors.Error
    InterfaceError = _errors.InterfaceError
    DatabaseError = _errors.DatabaseError
    DataError = _errors.DataError
    OperationalError = _errors.OperationalError
    IntegrityError = _errors.IntegrityError
    InternalError = _errors.InternalError
    ProgrammingError = _errors.ProgrammingError
    NotSupportedError = _errors.NotSupportedError

    def __init__(self, settings: _Settings, host: str, port: int):
        self._settings = settings
        self.host, self.port = host, port
        self.notices = collections.deque(maxlen=MAX_NOTICES)  # type: Deque[Tuple[str, str]]
        self.closed = False
        self._autocommit = False
        self._transaction_status = "I"
        self._pending = collections.deque()  # type: Deque[Response]
        self._broken = None  # type: Optional[Error]
        self._next_request_id = 4  # after the login's requests 1..3
        self._channel = Channel.open(host, port, settings.tls, settings.max_frame_bytes,
                                     deadline_after(settings.connect_timeout))
        try:
            self._login(deadline_after(settings.connect_timeout))
        except BaseException:
            self._channel.close()
            raise

    # --- login -----------------------------------------------------------------------------------

    def _login(self, deadline: Optional[float]) -> None:
        s = self._settings
        hello = [("user", s.user)]
        if s.database:
            hello.append(("database", s.database))
        if s.application_name:
            hello.append(("application_name", s.application_name))
        hello.append(("client", CLIENT_NAME))
        answer = self._exchange(1, wire.HELLO, wire.encode_hello(hello), wire.HELLO_OK, deadline)
        hello_ok = wire.decode_hello_ok(answer)
        if hello_ok.major != wire.PROTOCOL_MAJOR:
            raise wire.ProtocolViolation("server speaks protocol version %d.%d; this client speaks %d"
                                         % (hello_ok.major, hello_ok.minor, wire.PROTOCOL_MAJOR))
        if hello_ok.auth_method != "SCRAM-SHA-256":
            raise wire.ProtocolViolation('server asks for authentication method "%s"; this client supports '
                                         "SCRAM-SHA-256" % hello_ok.auth_method[:64])
        self.server_version = hello_ok.server_version
        scram = ScramClient(s.password)
        answer = self._exchange(2, wire.AUTH_SCRAM_FIRST, wire.encode_string(scram.client_first()),
                                wire.AUTH_SCRAM_CHALLENGE, deadline)
        client_final = scram.client_final(wire.decode_string_message(answer, wire.AUTH_SCRAM_CHALLENGE))
        answer = self._exchange(3, wire.AUTH_SCRAM_FINAL, wire.encode_string(client_final), wire.AUTH_OK, deadline)
        auth_ok = wire.decode_auth_ok(answer)
        try:
            scram.verify_server_final(auth_ok.server_final)
        except OperationalError as e:
            raise _Rejected(e) from None
        self.session_id, self._cancel_key, self.database = auth_ok.session_id, auth_ok.cancel_key, auth_ok.database

    def _exchange(self, request_id: int, type_id: int, payload: bytes, expected: int,
                  deadline: Optional[float]) -> bytes:
        """Sends one login frame and returns the payload of its answer, which must be
        ``expected``; an ERROR is the server refusing the login (``_Rejected``)."""
        self._channel.send(wire.encode_frame(type_id, request_id, payload), deadline)
        answer_type, answer_id, answer = self._channel.receive(deadline)
        if answer_type == wire.ERROR:
            raise _Rejected(statement_error(wire.decode_error(answer)))
        if answer_type != expected:
            raise wire.ProtocolViolation("expected %s in answer to %s, received %s" % (
                wire.message_name(expected), wire.message_name(type_id), wire.message_name(answer_type)))
        if answer_id != request_id:
            raise wire.ProtocolViolation("%s carries request id %d instead of %d"
                                         % (wire.message_name(answer_type), answer_id, request_id))
        return answer

    # --- PEP 249 ---------------------------------------------------------------------------------

    @property
    def autocommit(self) -> bool:
        return self._autocommit

    @autocommit.setter
    def autocommit(self, value: bool) -> None:
        """Turning autocommit on inside a transaction is refused: commit or roll back first."""
        self._check_open()
        if value and self._transaction_status != "I":
            raise _errors.ProgrammingError("a transaction is open: commit() or rollback() before turning "
                                           "autocommit on")
        self._autocommit = bool(value)

    @property
    def transaction_status(self) -> str:
        return self._transaction_status

    def cursor(self) -> Cursor:
        self._check_open()
        return Cursor(self)

    def commit(self) -> None:
        """Commits the open transaction (nothing to do without one, or with autocommit). A block
        that failed is rolled back by the server instead: that raises InternalError 25P02."""
        self._check_open()
        if self._transaction_status == "I":
            return
        failed = self._transaction_status == "E"
        complete = self._run_simple("COMMIT")
        if failed or (complete is not None and complete.tag == "ROLLBACK"):
            raise InternalError("the transaction was rolled back, not committed: a statement in it failed", "25P02")

    def rollback(self) -> None:
        """Rolls back the open transaction (nothing to do without one)."""
        self._check_open()
        if self._transaction_status != "I":
            self._run_simple("ROLLBACK")

    def close(self) -> None:
        """Ends the session (an open transaction is rolled back by the server). Idempotent."""
        if self.closed:
            return
        self.closed = True
        self._pending.clear()
        if self._broken is None:
            try:
                self._channel.send(wire.encode_frame(wire.TERMINATE, self._request_id()), deadline_after(1.0))
            except OperationalError:
                pass  # the server ends the session either way when the socket closes
        self._channel.close()

    def __enter__(self) -> "Connection":
        return self

    def __exit__(self, exc_type: Any, exc: Any, traceback: Any) -> None:
        """Commits (or, after an exception, rolls back), then closes."""
        try:
            if not self.closed and self._broken is None:
                if exc_type is None:
                    self.commit()
                else:
                    self.rollback()
        finally:
            self.close()

    # --- extensions ------------------------------------------------------------------------------

    def prepare(self, sql: str) -> PreparedStatement:
        """Has the server parse ``sql`` (parameters ``?`` or ``$n``) once, for many executions
        with ``cursor.execute(statement, params)``. Raises the server's error for bad syntax."""
        self._check_open()
        name = "lytdb_py_%d" % next(_prepared_names)
        response = self._send_requests([(wire.PREPARE, wire.encode_prepare(name, sql), False, None)])[0]
        event = response.next()
        if event.kind == wire.ERROR:
            raise event.value
        param_count, _ = wire.decode_prepared(event.value)
        return PreparedStatement(self, name, sql, param_count)

    def ping(self) -> None:
        """A round trip to the server (PING / PONG); raises OperationalError if it is gone."""
        self._check_open()
        self._send_requests([(wire.PING, b"", False, None)])[0].next()

    def cancel(self) -> None:
        """Asks the server to stop the statement running on this session (it then fails with
        57014); nothing happens if none runs. Callable from any thread: it opens a connection of
        its own to the same host (with TLS if the session uses it) and sends CANCEL."""
        s = self._settings
        deadline = deadline_after(s.connect_timeout or _CANCEL_TIMEOUT)
        try:
            channel = Channel.open(self.host, self.port, s.tls, _MAX_CANCEL_ANSWER, deadline)
        except OperationalError as e:
            raise self._cancel_failed(e) from None
        try:
            channel.send(wire.encode_frame(wire.CANCEL, 1, wire.encode_cancel(self.session_id, self._cancel_key)),
                         deadline)
            # The server closes the connection once it has passed the request on; waiting for
            # that makes the statement's 57014 the next thing the session sees.
            try:
                channel.receive(deadline)
            except OperationalError:
                pass
        except OperationalError as e:
            raise self._cancel_failed(e) from None
        finally:
            channel.close()

    def _cancel_failed(self, e: OperationalError) -> OperationalError:
        return OperationalError('could not send cancel request to "%s": %s'
                                % (format_address(self.host, self.port), e.message), UNABLE_TO_CONNECT)

    # --- requests (used by Cursor) ---------------------------------------------------------------

    def _check_open(self) -> None:
        if self.closed:
            raise InterfaceError("connection is closed")
        if self._broken is not None:
            raise OperationalError("connection is broken: " + self._broken.message, CONNECTION_FAILURE)

    def _request_id(self) -> int:
        request_id = self._next_request_id
        self._next_request_id = request_id % 0xFFFFFFFF + 1  # 0 is the server's own
        return request_id

    def _free_wire(self, requester: Any) -> None:
        """Reads every response still pending, so that a new request's answer comes next: rows
        of another open cursor are kept in that cursor, anything else is dropped."""
        while self._pending:
            response = self._pending[0]
            owner = response.owner
            if owner is not None and owner is not requester:
                owner._detach()
            if self._pending and self._pending[0] is response:
                response.drain()

    def _send_requests(self, requests: Sequence[Tuple[int, bytes, bool, Any]], requester: Any = None) -> List[Response]:
        """Writes the requests ``(type, payload, ends_with_ready, owner cursor)`` in one go, once
        the responses still pending are read (``_free_wire``), and returns their responses, to be
        read in order."""
        self._check_open()
        self._free_wire(requester)
        frames, responses = [], []
        for type_id, payload, ends_with_ready, owner in requests:
            response = Response(self, self._request_id(), ends_with_ready)
            response.owner = owner
            frames.append(wire.encode_frame(type_id, response.request_id, payload))
            responses.append(response)
        self._guard(lambda: self._channel.send(b"".join(frames)))
        self._pending.extend(responses)
        return responses

    def _statements(self, type_id: int, payloads: Sequence[bytes], owner: Any, transactional: bool) -> List[Response]:
        """Sends QUERYs or EXECUTEs (``payloads``) in one go, preceded by the implicit BEGIN when
        autocommit is off, no transaction is open and ``transactional``. Returns their responses."""
        requests = [(type_id, payload, True, owner) for payload in payloads]
        begin = not self._autocommit and self._transaction_status == "I" and transactional
        if begin:
            requests.insert(0, (wire.QUERY, wire.encode_query("BEGIN", []), True, None))
        responses = self._send_requests(requests, owner)
        if begin:
            error = responses.pop(0).drain()
            if error is not None:
                for response in responses:
                    response.drain()
                raise error
        return responses

    def _run_simple(self, sql: str) -> Optional[wire.Complete]:
        """Runs ``sql`` (no rows expected) to the end; raises its error; returns its COMPLETE."""
        response = self._send_requests([(wire.QUERY, wire.encode_query(sql, []), True, None)])[0]
        complete, error = None, None
        while not response.done:
            event = response.next()
            if event.kind == wire.COMPLETE:
                complete = event.value
            elif event.kind == wire.ERROR and error is None:
                error = event.value
        if error is not None:
            raise error
        return complete

    def _close_prepared(self, name: str) -> None:
        self._send_requests([(wire.CLOSE, wire.encode_string(name), False, None)])[0].next()

    def _receive_for(self, response: Response) -> Tuple[int, bytes]:
        """The next frame of ``response`` (which must be the first pending one). A query
        timeout cancels the statement; a lost connection breaks this one."""
        if self.closed:
            raise InterfaceError("connection is closed")
        if not self._pending or self._pending[0] is not response:
            raise InternalError("responses read out of order")
        while True:
            type_id, request_id, payload = self._guard(lambda: self._receive_with_timeout(response))
            if request_id == response.request_id:
                break
            if request_id == 0 and type_id == wire.NOTICE:
                self._add_notice(*wire.decode_notice(payload))
                continue
            if request_id == 0 and type_id == wire.ERROR:
                error = statement_error(wire.decode_error(payload))
                self._break(error)
                raise error
            self._break(wire.ProtocolViolation("%s carries request id %d instead of %d"
                                               % (wire.message_name(type_id), request_id, response.request_id)))
            raise self._broken  # type: ignore[misc]
        if self._is_last_frame(type_id, response):
            self._pending.popleft()
        return type_id, payload

    @staticmethod
    def _is_last_frame(type_id: int, response: Response) -> bool:
        if response.ends_with_ready:
            return type_id == wire.READY
        return type_id in (wire.PREPARED, wire.CLOSED, wire.PONG, wire.ERROR)

    def _receive_with_timeout(self, response: Response) -> Tuple[int, int, bytes]:
        """A frame; after ``query_timeout`` seconds without one, the statement is canceled and
        the server gets _CANCEL_GRACE seconds more for each frame."""
        timeout = self._settings.query_timeout
        if timeout and not response.timed_out:
            try:
                return self._channel.receive(deadline_after(timeout))
            except Timeout:
                response.timed_out = True
                self.cancel()
        try:
            return self._channel.receive(deadline_after(_CANCEL_GRACE) if response.timed_out else None)
        except Timeout:
            raise OperationalError("server did not answer within %g s of the cancel" % _CANCEL_GRACE,
                                   CONNECTION_FAILURE) from None

    def _guard(self, action: Any) -> Any:
        """Runs a channel ``action``; a failure breaks the connection and is raised."""
        try:
            return action()
        except OperationalError as e:
            self._break(e)
            raise

    def _break(self, error: Error) -> None:
        if self._broken is None:
            self._broken = error
            self._pending.clear()
            self._channel.close()

    def _add_notice(self, sqlstate: str, message: str) -> None:
        self.notices.append((sqlstate, message))
