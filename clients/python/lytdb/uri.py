"""Connection URIs: the grammar of docs/connecting.md, with the C++ parser's exact messages.

    lyt://[user[:password]@]host[:port][,host[:port]...][/database][?key=value&...]

This is a port of src/common/uri.cc (``lyt::ParseConnectionUri`` / ``FormatConnectionUri``);
both are checked against the same vectors, tests/uri_vectors.json. The text is handled as bytes
(UTF-8 of a ``str``), so positions and lengths in messages count bytes as the C++ parser does.
Decoded parts (user, password, database, application name) are ``str``: their bytes decoded as
UTF-8 with ``surrogateescape``, so bytes that are not UTF-8 survive and are sent back unchanged.
"""

import socket
from dataclasses import dataclass, field
from typing import Callable, List, Optional, Tuple, Union

from .errors import UriError

DEFAULT_PORT = 7878
MAX_URI_BYTES = 4096
MAX_HOSTS = 16
TLS_MODES = ("disable", "require", "verify-full")

_SCHEME = "lyt://"
_MAX_HOST_NAME_BYTES = 255
_MAX_QUOTED_BYTES = 60
_INT_MAX = 2147483647
_INET6_ADDRSTRLEN = 46


@dataclass
class ConnectionUri:
    """A parsed URI. ``hosts`` holds ``(host, port)`` pairs as written (IPv6 without brackets)."""

    user: str = ""                  # empty: none given (the client's default applies)
    password: Optional[str] = None  # None without ':' in the user info; may be ""
    hosts: List[Tuple[str, int]] = field(default_factory=list)
    database: str = ""              # empty: the server's default database
    tls: str = "disable"            # one of TLS_MODES
    connect_timeout: int = 0        # seconds; 0: no timeout of our own
    application_name: str = ""


def _error(detail: str) -> UriError:
    return UriError("invalid connection URI: " + detail, "22023")


def _quote(text: str) -> str:
    """``text`` in double quotes, cut after 60 bytes (it is ASCII once the bytes are checked)."""
    if len(text) <= _MAX_QUOTED_BYTES:
        return '"' + text + '"'
    return '"' + text[:_MAX_QUOTED_BYTES] + '..."'


# --- Character classes (RFC 3986 section 2), the same sets as uri.cc ---------------------------

_ALPHA = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_DIGITS = frozenset("0123456789")
_UNRESERVED = _ALPHA | _DIGITS | frozenset("-._~")
_SUB_DELIMS = frozenset("!$&'()*+,;=")
_USER = _UNRESERVED | _SUB_DELIMS
_PASSWORD = _USER | {":"}
_DATABASE = _PASSWORD
_OPTION_VALUE = (_PASSWORD | {"/", "?"}) - {"&"}
_OPTION_NAME = _OPTION_VALUE - {"="}
_HOST_NAME = _ALPHA | _DIGITS | frozenset("-._")
_HEX = "0123456789ABCDEF"

_USER_INFO_HINT = "; an unencoded '@' anywhere ends the user info"


@dataclass
class _Part:
    """A percent-decoded part: what it may hold unencoded, its name in messages, and whether its
    text must stay out of messages (the password)."""

    allowed: frozenset
    what: str
    secret: bool = False
    hint: str = ""


def _hex_byte(byte: int) -> str:
    return "%" + _HEX[byte >> 4] + _HEX[byte & 15]


def _unencoded_char_error(c: str, part: _Part) -> UriError:
    if part.secret:
        return _error(part.what + " contains a character that must be percent-encoded (for example '@' as %40, "
                      "'/' as %2F, '?' as %3F; an unencoded '@' ends the user name and password)")
    return _error("unencoded '%s' in %s (write %s%s)" % (c, part.what, _hex_byte(ord(c)), part.hint))


def _hex_value(c: str) -> int:
    return int(c, 16) if c and c in "0123456789abcdefABCDEF" else -1


def _decode(raw: str, part: _Part) -> str:
    """``raw`` checked against ``part`` and percent-decoded."""
    out = bytearray()
    i = 0
    while i < len(raw):
        c = raw[i]
        if c != "%":
            if c not in part.allowed:
                raise _unencoded_char_error(c, part)
            out.append(ord(c))
            i += 1
            continue
        high = _hex_value(raw[i + 1:i + 2])
        low = _hex_value(raw[i + 2:i + 3])
        if high < 0 or low < 0:
            if part.secret:
                raise _error("bad percent-encoding in %s (expected %% and two hex digits)" % part.what)
            raise _error("bad percent-encoding %s in %s" % (_quote(raw[i:i + 3]), part.what))
        if high == 0 and low == 0:
            raise _error('"%%00" (a NUL byte) is not allowed in %s' % part.what)
        out.append(high * 16 + low)
        i += 3
    return out.decode("utf-8", "surrogateescape")


def _encode(text: str, allowed: frozenset) -> str:
    """The bytes of ``text`` with every byte outside ``allowed`` written as %XX."""
    return "".join(chr(b) if chr(b) in allowed else _hex_byte(b)
                   for b in text.encode("utf-8", "surrogateescape"))


def _parse_decimal(text: str) -> Optional[int]:
    """A non-empty run of ASCII digits as an int, else None."""
    if not text or any(c not in _DIGITS for c in text):
        return None
    return int(text)


# --- The whole text and the scheme ----------------------------------------------------------

def _check_bytes(data: bytes) -> None:
    if len(data) > MAX_URI_BYTES:
        raise _error("it is %d bytes long; at most %d are allowed" % (len(data), MAX_URI_BYTES))
    for i, byte in enumerate(data):
        where = " at position %d" % (i + 1)
        if byte >= 0x80:
            raise _error("unencoded non-ASCII byte" + where + " (write UTF-8 as %XX per byte)")
        if byte <= 0x20 or byte == 0x7F:
            raise _error("unencoded space or control character" + where + " (write a space as %20)")
        if byte == ord("#"):
            raise _error("'#'" + where + ": a fragment is not allowed (write %23 for a literal '#')")


def _is_scheme(text: str) -> bool:
    return bool(text) and text[0] in _ALPHA and all(c in _ALPHA or c in _DIGITS or c in "+-." for c in text)


def _check_scheme(text: str) -> None:
    if text[:len(_SCHEME)].lower() == _SCHEME:
        return
    separator = text.find("://")
    if separator >= 0 and _is_scheme(text[:separator]):
        raise _error('unsupported scheme %s (expected "lyt://")' % _quote(text[:separator]))
    raise _error('it must start with "lyt://"')


# --- User info ------------------------------------------------------------------------------

def _parse_user_info(userinfo: str, uri: ConnectionUri) -> None:
    user, colon, password = userinfo.partition(":")
    if not user:
        raise _error("empty user name before '@' (leave out the user info to use the default)")
    uri.user = _decode(user, _Part(_USER, "the user name", False, _USER_INFO_HINT))
    if colon:
        uri.password = _decode(password, _Part(_PASSWORD, "the password", True))


# --- Hosts ----------------------------------------------------------------------------------

def _host_label(number: int) -> str:
    return "host %d" % number


def _parse_port(text: str, number: int) -> int:
    if not text:
        raise _error("empty port after ':' of " + _host_label(number))
    value = _parse_decimal(text)
    if value is None:
        raise _error("port %s of %s is not a number" % (_quote(text), _host_label(number)))
    if value < 1 or value > 65535:
        raise _error("port %s of %s is out of range 1..65535" % (_quote(text), _host_label(number)))
    return value


def _is_ipv6(literal: str) -> bool:
    if len(literal) >= _INET6_ADDRSTRLEN:
        return False
    try:
        socket.inet_pton(socket.AF_INET6, literal)
    except (OSError, ValueError):
        return False
    return True


def _parse_bracketed_host(entry: str, number: int) -> Tuple[str, int]:
    close = entry.find("]")
    if close < 0:
        raise _error("'[' without a closing ']' in " + _host_label(number))
    literal = entry[1:close]
    if not _is_ipv6(literal):
        raise _error("%s %s is not a valid IPv6 address" % (_host_label(number), _quote(entry[:close + 1])))
    rest = entry[close + 1:]
    if not rest:
        return literal, DEFAULT_PORT
    if rest[0] != ":":
        raise _error("unexpected %s after the IPv6 address of %s" % (_quote(rest), _host_label(number)))
    return literal, _parse_port(rest[1:], number)


def _parse_named_host(entry: str, number: int) -> Tuple[str, int]:
    name, colon, port = entry.partition(":")
    if ":" in port:
        raise _error("%s %s has several ':'; write an IPv6 address in brackets, e.g. [::1]:7878"
                     % (_host_label(number), _quote(entry)))
    if not name:
        raise _error(_host_label(number) + " has an empty name before the port")
    if len(name) > _MAX_HOST_NAME_BYTES:
        raise _error("%s is longer than %d bytes" % (_host_label(number), _MAX_HOST_NAME_BYTES))
    for c in name:
        if c not in _HOST_NAME:
            raise _error("%s %s contains '%s', which is not allowed in a host name"
                         % (_host_label(number), _quote(name), c))
    return name, (_parse_port(port, number) if colon else DEFAULT_PORT)


def _parse_hosts(host_list: str, uri: ConnectionUri) -> None:
    if not host_list:
        raise _error("a host is required (e.g. lyt://localhost)")
    entries = host_list.split(",")
    if len(entries) > MAX_HOSTS:
        raise _error("too many hosts (%d; at most %d)" % (len(entries), MAX_HOSTS))
    for number, entry in enumerate(entries, 1):
        if not entry:
            raise _error(_host_label(number) + " is empty")
        parse = _parse_bracketed_host if entry[0] == "[" else _parse_named_host
        uri.hosts.append(parse(entry, number))


# --- Options --------------------------------------------------------------------------------

def _bad_value(raw: str, name: str, expected: str) -> UriError:
    return _error('bad value %s for option "%s" (expected %s)' % (_quote(raw), name, expected))


def _apply_tls(value: str, raw: str, uri: ConnectionUri) -> None:
    if value not in TLS_MODES:
        raise _bad_value(raw, "tls", "disable, require or verify-full")
    uri.tls = value


def _apply_connect_timeout(value: str, raw: str, uri: ConnectionUri) -> None:
    seconds = _parse_decimal(value)
    if seconds is None or seconds > _INT_MAX:
        raise _bad_value(raw, "connect_timeout", "whole seconds from 0 to 2147483647, 0 for no timeout")
    uri.connect_timeout = seconds


def _apply_application_name(value: str, raw: str, uri: ConnectionUri) -> None:
    uri.application_name = value


# The options, as data: name -> how a decoded value (raw: as written, for messages) is stored.
_OPTIONS = {
    "tls": _apply_tls,
    "connect_timeout": _apply_connect_timeout,
    "application_name": _apply_application_name,
}  # type: dict


def _parse_option(pair: str, seen: set, uri: ConnectionUri) -> None:
    raw_name, equals, raw_value = pair.partition("=")
    if not raw_name:
        raise _error("an option has an empty name")
    name = _decode(raw_name, _Part(_OPTION_NAME, "the option name " + _quote(raw_name)))
    apply = _OPTIONS.get(name)  # type: Optional[Callable[[str, str, ConnectionUri], None]]
    if apply is None:
        raise _error("unknown option %s (known: tls, connect_timeout, application_name)" % _quote(raw_name))
    if name in seen:
        raise _error('option "%s" is given more than once' % name)
    seen.add(name)
    if not equals:
        raise _error('option "%s" has no value (write %s=...)' % (name, name))
    value = _decode(raw_value, _Part(_OPTION_VALUE, 'the value of option "%s"' % name))
    apply(value, raw_value, uri)


def _parse_options(query: str, uri: ConnectionUri) -> None:
    if not query:
        return
    seen = set()  # type: set
    for pair in query.split("&"):
        if not pair:
            raise _error("empty option (a stray '&')")
        _parse_option(pair, seen, uri)


# --- Putting it together --------------------------------------------------------------------

def parse_uri(text: Union[str, bytes]) -> ConnectionUri:
    """Parses ``text`` (a ``str``, taken as its UTF-8 bytes, or ``bytes``) as a connection URI.

    Returns a new ``ConnectionUri``. Raises ``UriError`` (SQLSTATE 22023) with a message
    ``invalid connection URI: ...`` naming the offending part; messages never contain the
    password or any part of it. Thread-safe.
    """
    data = text.encode("utf-8", "surrogateescape") if isinstance(text, str) else bytes(text)
    _check_bytes(data)
    ascii_text = data.decode("ascii")
    _check_scheme(ascii_text)
    rest = ascii_text[len(_SCHEME):]
    uri = ConnectionUri()
    at = rest.rfind("@")
    if at >= 0:
        _parse_user_info(rest[:at], uri)
        rest = rest[at + 1:]
    rest, _, query = rest.partition("?")
    host_list, slash, database = rest.partition("/")
    _parse_hosts(host_list, uri)
    if slash:
        uri.database = _decode(database, _Part(_DATABASE, "the database name"))
    _parse_options(query, uri)
    return uri


def format_address(host: str, port: int) -> str:
    """``host:port`` with an IPv6 address in brackets, as error messages name a server."""
    return ("[%s]:%d" if ":" in host else "%s:%d") % (host, port)


def format_uri(uri: ConnectionUri, with_password: bool = True) -> str:
    """``uri`` as canonical text: defaults left out, exactly the needed bytes percent-encoded.

    ``parse_uri(format_uri(u))`` equals ``u`` for every ``u`` that ``parse_uri`` returned. With
    ``with_password`` false a password is written as ``***`` (for logs and prompts). ``uri`` must
    have at least one host; a password without a user name is not written.
    """
    out = _SCHEME
    if uri.user:
        out += _encode(uri.user, _USER)
        if uri.password is not None:
            out += ":" + (_encode(uri.password, _PASSWORD) if with_password else "***")
        out += "@"
    hosts = []
    for host, port in uri.hosts:
        text = "[%s]" % host if ":" in host else host
        hosts.append(text if port == DEFAULT_PORT else "%s:%d" % (text, port))
    out += ",".join(hosts)
    if uri.database:
        out += "/" + _encode(uri.database, _DATABASE)
    options = []
    if uri.tls != "disable":
        options.append("tls=" + uri.tls)
    if uri.connect_timeout != 0:
        options.append("connect_timeout=%d" % uri.connect_timeout)
    if uri.application_name:
        options.append("application_name=" + _encode(uri.application_name, _OPTION_VALUE))
    if options:
        out += "?" + "&".join(options)
    return out
