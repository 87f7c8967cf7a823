"""Raw HTTP/1.1 bytes on a socket against a real `gatehouse serve` (SPEC §7, bad input).

The Hummingbird test client in the Swift suite hands the router well-formed requests; this sweep
drives the real binary over loopback with what a hostile or broken client actually sends:
malformed request and header lines, non-UTF-8 bytes, absurd lengths, every Content-Length /
Transfer-Encoding anomaly, pipelining, tiny writes, half-sent requests, odd Authorization headers,
broken form encoding and pathological JSON. It covers /oauth/token, /oauth/introspect,
/oauth/revoke, /v1/check, /admin/v1/apps, /authentication/consumer_application_key/token,
/v1/customer-sessions and the gateway listener.

For every case:
- an answer arrives within ``READ_TIMEOUT`` seconds (no hang) and its status is below 500;
- an error answer is in the endpoint's own format (OAuth: RFC 6749 ``{"error", ...}``; admin,
  check, customer sessions, gateway: ``{"error", "message"}``; consumer: the
  ``{"data": null, "status": {...}}`` envelope);
- HTTP that cannot be parsed may instead get the HTTP layer's bare 4xx (empty body, before any
  routing) or a closed connection: acceptable for a protocol-level error, and only for the cases
  marked ``protocol_ok``;
- a failed admin request leaves the number of applications unchanged;
- afterwards the process is alive, ``/healthz`` answers promptly and stderr has no crash marker.

Everything is deterministic: fixed cases, no randomness. Known server bugs are marked
``xfail(strict=True)`` and keep asserting the correct behaviour.
"""

from __future__ import annotations

import base64
import http.server
import json
import socket
import struct
import threading
import time
from dataclasses import dataclass
from typing import Callable

import pytest
import requests

from conftest import CRASH_MARKERS, free_port
from oauth_support import start_oauth

READ_TIMEOUT = 5.0  # seconds an answer may take before the case counts as a hang
HEALTH_TIMEOUT = 5.0  # seconds /healthz may take after a case
BODY_LIMIT = 64 * 1024  # SPEC §7: default body limit outside the gateway

CRLF = b"\r\n"


# --- a raw HTTP/1.1 client -------------------------------------------------------------------


class Closed(Exception):
    """The server closed (or reset) the connection before a whole answer arrived."""


@dataclass
class Answer:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    def __str__(self) -> str:
        head = "".join(f"\n  {k}: {v}" for k, v in self.headers)
        return f"{self.status}{head}\n  body: {self.body[:400]!r}"


class RawConnection:
    """One TCP connection; writes bytes as given and parses answers by their own framing."""

    def __init__(self, port: int, timeout: float = READ_TIMEOUT):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""

    def __enter__(self) -> "RawConnection":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass

    def send(self, data: bytes) -> bool:
        """False when the server had already closed the connection (it may still have answered)."""
        try:
            self.sock.sendall(data)
            return True
        except (BrokenPipeError, ConnectionResetError):
            return False

    def send_in_pieces(self, data: bytes, size: int, pause: float = 0.001) -> bool:
        for start in range(0, len(data), size):
            if not self.send(data[start:start + size]):
                return False
            time.sleep(pause)
        return True

    def shut_write(self) -> None:
        try:
            self.sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def _fill(self) -> None:
        try:
            chunk = self.sock.recv(65536)
        except ConnectionResetError:
            chunk = b""
        except socket.timeout:
            raise TimeoutError(f"no complete answer within {self.sock.gettimeout()} s") from None
        if not chunk:
            raise Closed()
        self.buffer += chunk

    def _until(self, separator: bytes, limit: int = 1 << 20) -> bytes:
        while separator not in self.buffer:
            assert len(self.buffer) < limit, f"answer head over {limit} bytes: {self.buffer[:200]!r}"
            self._fill()
        head, _, self.buffer = self.buffer.partition(separator)
        return head

    def _exactly(self, count: int) -> bytes:
        while len(self.buffer) < count:
            self._fill()
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def read_answer(self, skip_interim: bool = True) -> Answer:
        """The next answer; raises Closed if the connection ends first, TimeoutError on a hang."""
        while True:
            lines = self._until(CRLF + CRLF).decode("latin-1").split("\r\n")
            version, _, rest = lines[0].partition(" ")
            assert version.startswith("HTTP/1."), f"not an HTTP/1 status line: {lines[0]!r}"
            status = int(rest.split(" ", 1)[0])
            headers = []
            for line in lines[1:]:
                name, colon, value = line.partition(":")
                assert colon, f"answer header line without a colon: {line!r}"
                headers.append((name.strip(), value.strip()))
            answer = Answer(status, headers, b"")
            if 100 <= status < 200:
                if skip_interim:
                    continue
                return answer
            encoding = (answer.header("Transfer-Encoding") or "").lower()
            length = answer.header("Content-Length")
            if "chunked" in encoding:
                body = b""
                while True:
                    size = int(self._until(CRLF).split(b";")[0], 16)
                    if size == 0:
                        while self._until(CRLF):  # trailers
                            pass
                        break
                    body += self._exactly(size)
                    self._until(CRLF)
                answer.body = body
            elif length is not None:
                answer.body = self._exactly(int(length))
            elif status not in (204, 304):
                try:  # delimited by the end of the connection
                    while True:
                        self._fill()
                except Closed:
                    answer.body, self.buffer = self.buffer, b""
            return answer

    def closes_within(self, seconds: float) -> bool:
        """True if the server ends the connection (without sending more) within ``seconds``."""
        self.sock.settimeout(seconds)
        try:
            self._fill()
        except Closed:
            return True
        except TimeoutError:
            return False
        finally:
            self.sock.settimeout(READ_TIMEOUT)
        return False


def show(data: bytes, limit: int = 600) -> str:
    return repr(data if len(data) <= limit else data[:limit] + b"...(%d bytes)" % len(data))


def exchange(port: int, data: bytes, *, shut_write: bool = False) -> Answer | None:
    """Writes ``data`` in one go and reads one answer; None if the server closed without one."""
    started = time.monotonic()
    with RawConnection(port) as conn:
        conn.send(data)
        if shut_write:
            conn.shut_write()
        try:
            return conn.read_answer()
        except Closed:
            return None
        except TimeoutError:
            pytest.fail(f"hang: no answer within {time.monotonic() - started:.1f} s to {show(data)}")


# --- targets and their error formats ---------------------------------------------------------


@dataclass(frozen=True)
class Target:
    name: str
    kind: str  # error format: oauth | check | admin | consumer | sessions | gateway
    path: str
    body_type: str | None  # form | json | None
    reads_body: bool  # False: the endpoint answers without reading the body

    def __str__(self) -> str:
        return self.name


TOKEN = Target("token", "oauth", "/oauth/token", "form", True)
INTROSPECT = Target("introspect", "oauth", "/oauth/introspect", "form", True)
REVOKE = Target("revoke", "oauth", "/oauth/revoke", "form", True)
CHECK = Target("check", "check", "/v1/check", None, False)
ADMIN = Target("admin", "admin", "/admin/v1/apps", "json", True)
CONSUMER = Target("consumer", "consumer", "/authentication/consumer_application_key/token", "json", True)
SESSIONS = Target("sessions", "sessions", "/v1/customer-sessions", "json", True)
GATEWAY = Target("gateway", "gateway", "/v1/raw/orders", "json", True)

TARGETS = [TOKEN, INTROSPECT, REVOKE, CHECK, ADMIN, CONSUMER, SESSIONS, GATEWAY]
FORM_TARGETS = [t for t in TARGETS if t.body_type == "form"]
JSON_TARGETS = [ADMIN, CONSUMER, SESSIONS]  # the gateway does not parse bodies
BODY_TARGETS = [t for t in TARGETS if t.reads_body]


def assert_error_format(target: Target, answer: Answer) -> None:
    """An error answer (status >= 400) in ``target``'s own format."""
    where = f"{target.name}: {answer}"
    assert (answer.header("Content-Type") or "").startswith("application/json"), f"not JSON: {where}"
    try:
        body = json.loads(answer.body)
    except ValueError:
        pytest.fail(f"error body is not JSON: {where}")
    assert isinstance(body, dict), where
    if target.kind == "oauth":
        assert isinstance(body.get("error"), str) and body["error"], where
        assert set(body) <= {"error", "error_description", "error_uri"}, where
        assert answer.header("Cache-Control") == "no-store", where
    elif target.kind == "consumer":
        assert set(body) == {"data", "status"} and body["data"] is None, where
        status = body["status"]
        assert isinstance(status, dict), where
        assert isinstance(status.get("code"), str) and status["code"] != "OK", where
        assert isinstance(status.get("description"), str) and isinstance(status.get("message"), str), where
    else:  # admin, check, customer sessions and the gateway's refusals
        assert isinstance(body.get("error"), str) and body["error"], where
        assert isinstance(body.get("message"), str), where
        assert set(body) <= {"error", "message", "field"}, where


def assert_acceptable(target: Target, answer: Answer | None, data: bytes, *, protocol_ok: bool) -> str:
    """The SPEC §7 verdict on one answer; returns how the server reacted (for messages)."""
    request = f"\nrequest bytes: {show(data)}"
    if answer is None:
        assert protocol_ok, f"{target.name}: the server closed the connection without an answer{request}"
        return "closed"
    assert answer.status < 500, f"{target.name}: 5xx answer {answer}{request}"
    if answer.status < 400:
        return "accepted"
    if target is GATEWAY and answer.header("X-Upstream") == "yes":
        return "proxied"  # the upstream's own answer, passed through (e.g. its header limits)
    if protocol_ok and not answer.body:
        # The HTTP layer's own rejection (before routing): `400` + `Connection: close`, no body.
        return "protocol-error"
    assert_error_format(target, answer)
    return "endpoint-error"


# --- the server under test ---------------------------------------------------------------------


class Upstream(http.server.BaseHTTPRequestHandler):
    """The gateway's upstream: drains the body and answers its length and path as JSON."""

    protocol_version = "HTTP/1.1"

    def _answer(self):
        try:
            body = b""
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                while True:
                    size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                    if size == 0:
                        self.rfile.readline()
                        break
                    body += self.rfile.read(size)
                    self.rfile.readline()
            else:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
            payload = json.dumps({"path": self.path, "bodyLength": len(body)}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (OSError, ValueError):
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

    def end_headers(self):
        # Marks every answer of the upstream, its own error pages included (http.server refuses
        # more than 100 header lines with a 431), so the gateway's verdicts can be told apart.
        self.send_header("X-Upstream", "yes")
        super().end_headers()

    def log_message(self, *args):
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass


class World:
    """One `gatehouse serve` with a gateway listener, its credentials, and request builders."""

    def __init__(self, gh, admin_key: str, upstream: str):
        self.gateway_port = free_port()
        self.srv = start_oauth(gh, admin_key, "--gateway-port", str(self.gateway_port), "--upstream", upstream)
        self.server = self.srv.server
        self.port = self.server.port
        self.admin_key = admin_key
        app = self.srv.admin("POST", "/admin/v1/apps", {
            "name": "raw-http", "grantTypes": ["client_credentials"], "scopes": ["read"], "sessionAccess": "any",
        })
        self.client_id, self.secret = app["clientId"], app["clientSecret"]
        self.api_key = self.srv.admin("POST", "/admin/v1/apikeys", {"name": "raw key", "application": app["id"]})["key"]
        self.user = self.srv.create_user(username="raw-customer")
        self.auth_code = self.srv.admin("POST", "/admin/v1/consumer-credentials",
                                        {"user": self.user.id, "kind": "authentication_code"})["authentication_code"]
        self.app_token = self.srv.client_credentials((self.client_id, self.secret))["access_token"]
        self._stderr_offset = 0
        self._names = 0

    # --- request parts -----------------------------------------------------------------------
    def port_of(self, t: Target) -> int:
        return self.gateway_port if t is GATEWAY else self.port

    def basic(self, user: str, password: str) -> bytes:
        return base64.b64encode(f"{user}:{password}".encode())

    def auth_lines(self, t: Target) -> list[bytes]:
        if t.kind == "oauth":
            return [b"Authorization: Basic " + self.basic(self.client_id, self.secret)]
        if t is ADMIN:
            return [b"Authorization: Bearer " + self.admin_key.encode()]
        if t is CONSUMER:
            return [b"Authorization: Basic " + self.basic(self.api_key, "")]
        if t is GATEWAY:
            return [b"X-API-Key: " + self.api_key.encode()]
        return [b"Authorization: Bearer " + self.app_token.encode()]  # check, sessions

    def content_type(self, t: Target) -> bytes | None:
        return {"form": b"application/x-www-form-urlencoded", "json": b"application/json"}.get(t.body_type)

    def valid_json(self, t: Target) -> dict:
        if t is ADMIN:
            self._names += 1
            return {"name": f"raw app {self._names}"}
        if t is CONSUMER:
            return {"access_token_identifier": {"authentication_code": self.auth_code}}
        if t is SESSIONS:
            return {"customer": self.user.username}
        return {"order": 1}

    def valid_body(self, t: Target) -> bytes:
        if t is TOKEN:
            return b"grant_type=client_credentials"
        if t is INTROSPECT:
            return b"token=" + self.app_token.encode()
        if t is REVOKE:
            return b"token=not-a-token&token_type_hint=refresh_token"
        if t is CHECK:
            return b"ignored=1"
        return json.dumps(self.valid_json(t)).encode()

    def request(self, t: Target, *, method: bytes = b"POST", path: bytes | None = None, version: bytes = b"HTTP/1.1",
                host: bool = True, auth: list[bytes] | None = None, content_type: bytes | None | str = "default",
                body: bytes | None = None, framing: str = "length", extra: list[bytes] = (), close: bool = False) -> bytes:
        """A request line, headers and body for ``t``; every part can be replaced.

        ``framing``: ``length`` (a correct Content-Length), ``chunked`` (a valid chunked body in
        4000-byte chunks) or ``none`` (no framing header: ``extra`` brings its own)."""
        body = self.valid_body(t) if body is None else body
        lines = [method + b" " + (path if path is not None else t.path.encode()) + b" " + version]
        if host:
            lines.append(b"Host: 127.0.0.1")
        lines += self.auth_lines(t) if auth is None else auth
        ctype = self.content_type(t) if content_type == "default" else content_type
        if ctype is not None:
            lines.append(b"Content-Type: " + ctype)
        if framing == "length":
            lines.append(b"Content-Length: %d" % len(body))
        elif framing == "chunked":
            lines.append(b"Transfer-Encoding: chunked")
            body = chunked(body)
        if close:
            lines.append(b"Connection: close")
        lines += list(extra)
        return CRLF.join(lines) + CRLF + CRLF + body

    # --- verdicts -----------------------------------------------------------------------------
    def admin_total(self) -> int:
        r = requests.get(self.server.base + "/admin/v1/apps?pageSize=1",
                         headers={"Authorization": f"Bearer {self.admin_key}"}, timeout=HEALTH_TIMEOUT)
        assert r.status_code == 200, r.text
        return r.json()["total"]

    def run(self, t: Target, data: bytes, *, protocol_ok: bool = False, shut_write: bool = False) -> Answer | None:
        """Sends one case and applies the SPEC §7 verdict, including "no changed database"."""
        before = self.admin_total() if t is ADMIN else None
        answer = exchange(self.port_of(t), data, shut_write=shut_write)
        assert_acceptable(t, answer, data, protocol_ok=protocol_ok)
        if before is not None and (answer is None or answer.status >= 400):
            assert self.admin_total() == before, f"a refused admin request changed the database\nrequest: {show(data)}"
        return answer

    def assert_healthy(self) -> None:
        """The process lives, /healthz answers promptly, the gateway still listens, no crash."""
        proc = self.server.proc
        assert proc.poll() is None, f"server exited with {proc.returncode}\nstderr:\n{self.server.stderr[-3000:]}"
        for url, status in ((self.server.base + "/healthz", 200), (f"http://127.0.0.1:{self.gateway_port}/v1/raw/healthz", 401)):
            started = time.monotonic()
            try:
                r = requests.get(url, timeout=HEALTH_TIMEOUT)
            except requests.RequestException as error:
                alive = "alive" if proc.poll() is None else f"exited with {proc.returncode}"
                pytest.fail(f"GET {url} failed after {time.monotonic() - started:.1f} s ({error}); the server is {alive}\n"
                            f"stderr tail:\n{self.server.stderr[-3000:]}")
            assert r.status_code == status, f"GET {url}: {r.status_code} {r.text}"
        with open(self.server.stderr_path, "rb") as handle:
            handle.seek(self._stderr_offset)
            new = handle.read().decode(errors="replace")
        self._stderr_offset += len(new.encode(errors="replace"))
        for marker in CRASH_MARKERS:
            assert marker not in new, f"crash marker {marker!r} on stderr:\n{new[-3000:]}"


def chunked(body: bytes, size: int = 4000) -> bytes:
    out = b"".join(b"%x\r\n" % len(body[i:i + size]) + body[i:i + size] + CRLF for i in range(0, len(body), size))
    return out + b"0\r\n\r\n"


@pytest.fixture(scope="module")
def upstream():
    server = QuietServer(("127.0.0.1", 0), Upstream)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def world(gh_module, admin_key, upstream) -> World:
    return World(gh_module, admin_key, upstream)


@pytest.fixture(autouse=True)
def _server_survives_each_case(world):
    yield
    world.assert_healthy()


# --- known server bugs (xfail strict: they turn into failures once fixed) -------------------------

# (case id, target name) -> reason, for a swept case the server still gets wrong. Empty: every
# bug this sweep found (500s for badly framed bodies, 502 from the gateway for them, trailing
# commas accepted in JSON, no answer to Expect: 100-continue) has been fixed.
KNOWN_BUGS: dict[tuple[str, str], str] = {}


def known_bug(case_id: str, t: Target) -> tuple[pytest.MarkDecorator, ...]:
    reason = KNOWN_BUGS.get((case_id, t.name))
    return (pytest.mark.xfail(strict=True, reason=reason),) if reason else ()


@dataclass(frozen=True)
class Case:
    id: str
    build: Callable[[World, Target], bytes]
    protocol_ok: bool = False  # the HTTP layer may reject it (bare 4xx) or close instead
    shut_write: bool = False  # half-close after writing: the server sees the end of the stream


def params(cases: list[Case], targets: list[Target]) -> list:
    return [pytest.param(c, t, id=f"{c.id}-{t.name}", marks=known_bug(c.id, t)) for c in cases for t in targets]


def path_of(t: Target) -> bytes:
    return t.path.encode()


# --- 1. request line and header lines -----------------------------------------------------------

LINE_CASES = [
    Case("missing_version", lambda w, t: b"POST " + path_of(t) + b"\r\nHost: x\r\n\r\n", protocol_ok=True),
    Case("unknown_version", lambda w, t: w.request(t, version=b"HTTP/9.9"), protocol_ok=True),
    Case("garbage_version", lambda w, t: w.request(t, version=b"HTTQ/1.1"), protocol_ok=True),
    Case("unknown_method", lambda w, t: w.request(t, method=b"BREW"), protocol_ok=True),
    Case("lowercase_method", lambda w, t: w.request(t, method=b"post"), protocol_ok=True),
    Case("no_slash_in_target", lambda w, t: w.request(t, path=path_of(t).lstrip(b"/")), protocol_ok=True),
    Case("absolute_form_target", lambda w, t: w.request(t, path=b"http://127.0.0.1" + path_of(t)), protocol_ok=True),
    Case("tab_in_target", lambda w, t: w.request(t, path=path_of(t) + b"\tx"), protocol_ok=True),
    Case("nul_in_target", lambda w, t: w.request(t, path=path_of(t) + b"\x00"), protocol_ok=True),
    Case("non_utf8_path", lambda w, t: w.request(t, path=path_of(t) + b"/\xff\xfe"), protocol_ok=True),
    Case("non_utf8_query", lambda w, t: w.request(t, path=path_of(t) + b"?q=\xff\xfe&\xc3("), protocol_ok=True),
    Case("percent_encoded_non_utf8_query", lambda w, t: w.request(t, path=path_of(t) + b"?q=%ff%fe&%c3%28=1")),
    Case("header_name_with_space", lambda w, t: w.request(t, extra=[b"Bad Name: y"]), protocol_ok=True),
    Case("header_name_non_token", lambda w, t: w.request(t, extra=[b"X-\xff\x01: y"]), protocol_ok=True),
    Case("header_without_colon", lambda w, t: w.request(t, extra=[b"NoColonHere"]), protocol_ok=True),
    Case("space_before_colon", lambda w, t: w.request(t, extra=[b"X-Thing : y"]), protocol_ok=True),
    Case("nul_in_header_value", lambda w, t: w.request(t, extra=[b"X-Thing: a\x00b"]), protocol_ok=True),
    Case("obs_fold", lambda w, t: w.request(t, extra=[b"X-Thing: a", b"  folded"]), protocol_ok=True),
    Case("header_starting_with_whitespace", lambda w, t: w.request(t, extra=[b" X-Thing: a"]), protocol_ok=True),
    Case("bare_lf_line_endings", lambda w, t: w.request(t).replace(CRLF, b"\n"), protocol_ok=True),
    Case("bare_cr_line_endings", lambda w, t: w.request(t).replace(CRLF, b"\r"), protocol_ok=True),
    Case("non_utf8_header_value", lambda w, t: w.request(t, extra=[b"X-Thing: \xff\xfe\xc3(", b"User-Agent: \xe9t\xe9"])),
    Case("non_utf8_forwarded_headers", lambda w, t: w.request(t, extra=[
        b"X-Forwarded-Uri: /\xff\xfe%ff", b"X-Forwarded-Method: G\xc3T", b"X-Forwarded-For: \xff.1.1.1"])),
    Case("request_line_100k", lambda w, t: w.request(t, path=path_of(t) + b"?q=" + b"a" * 100_000), protocol_ok=True),
    Case("header_100k", lambda w, t: w.request(t, extra=[b"X-Big: " + b"a" * 100_000]), protocol_ok=True),
    Case("header_60k", lambda w, t: w.request(t, extra=[b"X-Big: " + b"a" * 60_000]), protocol_ok=True),
    Case("headers_500", lambda w, t: w.request(t, extra=[b"X-H%d: v" % i for i in range(500)]), protocol_ok=True),
    Case("headers_5000", lambda w, t: w.request(t, extra=[b"X-H%d: v" % i for i in range(5000)]), protocol_ok=True),
    Case("same_header_1000_times", lambda w, t: w.request(t, extra=[b"X-Forwarded-For: 10.0.0.1"] * 1000), protocol_ok=True),
    Case("http10_without_host", lambda w, t: w.request(t, version=b"HTTP/1.0", host=False)),
    Case("http11_without_host", lambda w, t: w.request(t, host=False), protocol_ok=True),
    Case("two_host_headers", lambda w, t: w.request(t, extra=[b"Host: other.example"]), protocol_ok=True),
    Case("host_with_non_utf8", lambda w, t: w.request(t, host=False, extra=[b"Host: \xff\xfe"]), protocol_ok=True),
]


@pytest.mark.parametrize("case, target", params(LINE_CASES, TARGETS))
def test_request_and_header_lines(world, case, target):
    world.run(target, case.build(world, target), protocol_ok=case.protocol_ok, shut_write=case.shut_write)


# --- 2. body framing ----------------------------------------------------------------------------


def with_length(value: bytes, *more: bytes) -> Callable[[World, Target], bytes]:
    return lambda w, t: w.request(t, framing="none", extra=[b"Content-Length: " + value, *more])


def raw_chunked(payload: Callable[[bytes], bytes]) -> Callable[[World, Target], bytes]:
    """A chunked request whose body is ``payload(valid body)``, sent as is."""
    return lambda w, t: w.request(t, framing="none", extra=[b"Transfer-Encoding: chunked"],
                                  body=payload(w.valid_body(t)))


# Body-level framing errors: NIO finds them while the handler reads the body. They were answered
# 500 (502 upstream_unavailable by the gateway) until the server mapped HTTPParserError to 400;
# on an endpoint that reads the body they must get exactly 400.
BODY_FRAMING_ERRORS = {"cl_larger_then_eof", "headers_then_eof", "chunked_bad_size", "chunked_negative_size",
                       "chunked_size_overflow", "chunked_size_mismatch", "chunked_unterminated_then_eof",
                       "te_gzip_not_chunked"}


FRAMING_CASES = [
    Case("cl_larger_then_eof", lambda w, t: w.request(t, framing="none", extra=[
        b"Content-Length: %d" % (len(w.valid_body(t)) + 100)]), protocol_ok=True, shut_write=True),
    Case("cl_negative", with_length(b"-1"), protocol_ok=True),
    Case("cl_non_numeric", with_length(b"abc"), protocol_ok=True),
    Case("cl_hex", with_length(b"0x10"), protocol_ok=True),
    Case("cl_with_plus", with_length(b"+5"), protocol_ok=True),
    Case("cl_overflow", with_length(b"99999999999999999999999999"), protocol_ok=True),
    # Issue 14 point 6: the 64-bit edges, where a signed conversion of the length would trap. The
    # body is shorter than announced, so the client ends its side (as cl_larger_then_eof does).
    Case("cl_int64_max", with_length(b"9223372036854775807"), protocol_ok=True, shut_write=True),
    Case("cl_int64_max_plus_one", with_length(b"9223372036854775808"), protocol_ok=True, shut_write=True),
    Case("cl_uint64_max", with_length(b"18446744073709551615"), protocol_ok=True, shut_write=True),
    Case("cl_uint64_max_plus_one", with_length(b"18446744073709551616"), protocol_ok=True, shut_write=True),
    Case("cl_int64_min", with_length(b"-9223372036854775808"), protocol_ok=True, shut_write=True),
    Case("cl_empty", with_length(b""), protocol_ok=True),
    Case("cl_list", lambda w, t: w.request(t, framing="none", extra=[
        b"Content-Length: %d, %d" % (len(w.valid_body(t)), len(w.valid_body(t)))]), protocol_ok=True),
    Case("cl_duplicated_conflicting", lambda w, t: w.request(t, framing="none", extra=[
        b"Content-Length: %d" % len(w.valid_body(t)), b"Content-Length: 3"]), protocol_ok=True),
    Case("cl_duplicated_identical", lambda w, t: w.request(t, framing="none", extra=[
        b"Content-Length: %d" % len(w.valid_body(t))] * 2), protocol_ok=True),
    Case("cl_and_te_chunked", lambda w, t: w.request(t, framing="chunked", extra=[
        b"Content-Length: %d" % len(w.valid_body(t))]), protocol_ok=True),
    Case("chunked_valid", lambda w, t: w.request(t, framing="chunked")),
    Case("chunked_with_extension_and_trailer", raw_chunked(
        lambda b: b"%x;name=value\r\n" % len(b) + b + b"\r\n0\r\nX-Trailer: t\r\n\r\n"), protocol_ok=True),
    Case("chunked_bad_size", raw_chunked(lambda b: b"zz\r\n" + b + b"\r\n0\r\n\r\n"), protocol_ok=True),
    Case("chunked_negative_size", raw_chunked(lambda b: b"-1\r\n" + b + b"\r\n0\r\n\r\n"), protocol_ok=True),
    Case("chunked_size_overflow", raw_chunked(lambda b: b"ffffffffffffffffffff\r\n" + b + b"\r\n0\r\n\r\n"), protocol_ok=True),
    Case("chunked_size_mismatch", raw_chunked(lambda b: b"5\r\n" + b + b"\r\n0\r\n\r\n"), protocol_ok=True),
    Case("chunked_unterminated_then_eof", raw_chunked(lambda b: b"%x\r\n" % len(b) + b + b"\r\n"),
         protocol_ok=True, shut_write=True),
    Case("chunked_over_64k", lambda w, t: w.request(t, framing="chunked", body=b"x" * (BODY_LIMIT + 20_000))),
    Case("te_gzip_not_chunked", lambda w, t: w.request(t, framing="none", extra=[b"Transfer-Encoding: gzip"]),
         protocol_ok=True),
    Case("te_unknown_then_chunked", lambda w, t: w.request(t, framing="chunked").replace(
        b"Transfer-Encoding: chunked", b"Transfer-Encoding: x-unknown, chunked"), protocol_ok=True),
    Case("expect_100_continue_body_sent_at_once", lambda w, t: w.request(t, extra=[b"Expect: 100-continue"])),
    Case("expect_unknown", lambda w, t: w.request(t, extra=[b"Expect: 999-whatever"]), protocol_ok=True),
    Case("body_over_64k", lambda w, t: w.request(t, body=b"x" * (BODY_LIMIT + 1))),
    Case("headers_then_eof", lambda w, t: w.request(t, framing="none", body=b"", extra=[b"Content-Length: 50"]),
         protocol_ok=True, shut_write=True),
]


@pytest.mark.parametrize("case, target", params(FRAMING_CASES, TARGETS))
def test_body_framing(world, case, target):
    answer = world.run(target, case.build(world, target), protocol_ok=case.protocol_ok, shut_write=case.shut_write)
    if case.id in BODY_FRAMING_ERRORS and target.reads_body and answer is not None:
        assert answer.status == 400, f"{target.name}: a body framed wrongly is the client's error: {answer}"


@pytest.mark.parametrize("target", TARGETS, ids=str)
def test_valid_requests_are_accepted(world, target):
    """The baseline each case mutates is itself a good request (so the sweep means something)."""
    for framing in ("length", "chunked"):
        data = world.request(target, framing=framing)
        answer = exchange(world.port_of(target), data)
        assert answer is not None and answer.status in (200, 201), f"{target.name} {framing}: {answer}"


@pytest.mark.parametrize("target", [t for t in BODY_TARGETS if t is not GATEWAY], ids=str)
def test_an_announced_body_over_the_limit_is_refused_without_reading_it_all(world, target):
    """Content-Length: 1 GB, then only 80 KiB: a 4xx arrives at once; nobody waits for the rest."""
    data = world.request(target, framing="none", body=b"", extra=[b"Content-Length: 1000000000"])
    with RawConnection(world.port_of(target)) as conn:
        conn.send(data)
        for _ in range(10):
            if not conn.send(b"x" * 8192):
                break
        try:
            answer = conn.read_answer()
        except Closed:
            pytest.fail(f"{target.name}: closed without an answer")
    assert_acceptable(target, answer, data, protocol_ok=False)
    assert answer.status in (400, 413), answer


def test_a_body_longer_than_announced_is_the_next_request(world):
    """Bytes after the announced body are parsed as the next request: an answer to the first,
    then the HTTP layer's 400 (or a close) for the garbage, nothing else."""
    data = world.request(TOKEN) + b"GARBAGE\x00\xff\r\n\r\n"
    with RawConnection(world.port) as conn:
        conn.send(data)
        first = conn.read_answer()
        assert first.status == 200, first
        assert b"access_token" in first.body
        try:
            second = conn.read_answer()
        except Closed:
            return
        assert 400 <= second.status < 500 and not second.body, second
        assert conn.closes_within(READ_TIMEOUT), "the connection stayed open after a protocol error"


def expect_continue_exchange(port: int, head: bytes, body: bytes, label: str):
    """Sends `head` (with `Expect: 100-continue`), waits at most 1.5 s for 100 Continue or a final
    answer, sends `body` after a 100, and returns the final answer."""
    with RawConnection(port) as conn:
        conn.send(head)
        conn.sock.settimeout(1.5)
        try:
            answer = conn.read_answer(skip_interim=False)
        except TimeoutError:
            pytest.fail(f"{label}: no 100 Continue and no final answer within 1.5 s to {show(head)}")
        conn.sock.settimeout(READ_TIMEOUT)
        if answer.status == 100:
            conn.send(body)
            answer = conn.read_answer()
    return answer


@pytest.mark.parametrize("target", TARGETS, ids=str)
def test_expect_100_continue_gets_an_interim_or_final_answer(world, target):
    """RFC 9110 §10.1.1: a server that gets `Expect: 100-continue` sends 100 (Continue) or its
    final answer at once; a client that waits for either must not stall until its own timeout
    (curl waits 1 s, then sends the body anyway)."""
    body = world.valid_body(target)
    head = world.request(target, body=b"", framing="none",
                         extra=[b"Content-Length: %d" % len(body), b"Expect: 100-continue"])
    first = expect_continue_exchange(world.port_of(target), head, body, target.name)
    assert first.status in (200, 201), f"{target.name}: {first}"


def test_expect_100_continue_with_an_announced_body_over_the_limit(world):
    """Either refused at once (413/400, no body needed) or 100 Continue and then refused."""
    head = world.request(TOKEN, body=b"", framing="none", extra=[b"Content-Length: 1000000", b"Expect: 100-continue"])
    answer = expect_continue_exchange(world.port, head, b"x" * (BODY_LIMIT + 1024), TOKEN.name)
    assert_acceptable(TOKEN, answer, head, protocol_ok=False)
    assert answer.status in (400, 413), answer


# --- 3. Authorization headers -------------------------------------------------------------------


def b64(raw: bytes) -> bytes:
    return base64.b64encode(raw)


def auth_case(case_id: str, lines: Callable[[World, Target], list[bytes]], protocol_ok: bool = False) -> Case:
    return Case(case_id, lambda w, t: w.request(t, auth=lines(w, t)), protocol_ok=protocol_ok)


AUTH_CASES = [
    auth_case("no_credentials", lambda w, t: []),
    auth_case("authorization_empty", lambda w, t: [b"Authorization:"]),
    auth_case("authorization_blank", lambda w, t: [b"Authorization:    "]),
    auth_case("scheme_only_basic", lambda w, t: [b"Authorization: Basic"]),
    auth_case("scheme_only_bearer", lambda w, t: [b"Authorization: Bearer"]),
    auth_case("basic_not_base64", lambda w, t: [b"Authorization: Basic !!!***%%%"]),
    auth_case("basic_base64url_alphabet", lambda w, t: [b"Authorization: Basic ab-_cd-_"]),
    auth_case("basic_base64_of_non_utf8", lambda w, t: [b"Authorization: Basic " + b64(b"\xff\xfe:\xc3(")]),
    auth_case("basic_base64_without_colon", lambda w, t: [b"Authorization: Basic " + b64(b"justausername")]),
    auth_case("basic_base64_of_colon_only", lambda w, t: [b"Authorization: Basic " + b64(b":")]),
    auth_case("basic_base64_of_nul", lambda w, t: [b"Authorization: Basic " + b64(b"a\x00b:c\x00d")]),
    auth_case("basic_enormous", lambda w, t: [b"Authorization: Basic " + b64(b"u" * 30_000 + b":" + b"p" * 14_000)]),
    auth_case("bearer_enormous", lambda w, t: [b"Authorization: Bearer " + b"a" * 60_000]),
    auth_case("bearer_jwt_shaped_garbage", lambda w, t: [b"Authorization: Bearer " + b"e30." * 3 + b"." * 1000]),
    auth_case("bearer_with_inner_spaces", lambda w, t: [b"Authorization: Bearer a b c"]),
    auth_case("unknown_scheme", lambda w, t: [b"Authorization: Digest username=\"x\", nonce=\"y\""]),
    auth_case("raw_non_ascii_value", lambda w, t: [b"Authorization: Basic \xff\xfe\xfd"]),
    auth_case("two_authorization_headers_same", lambda w, t: w.auth_lines(t) * 2 if t is not GATEWAY else
              [b"Authorization: Bearer " + w.api_key.encode()] * 2),
    auth_case("two_authorization_headers_different", lambda w, t: [
        b"Authorization: Bearer " + w.app_token.encode(), b"Authorization: Basic " + w.basic(w.client_id, w.secret)]),
    auth_case("authorization_and_x_api_key_garbage", lambda w, t: [b"X-API-Key: \xff\xfe", b"Authorization: Basic ==="]),
    auth_case("x_api_key_enormous", lambda w, t: [b"X-API-Key: ghak_" + b"A" * 60_000]),
]


@pytest.mark.parametrize("case, target", params(AUTH_CASES, TARGETS))
def test_odd_authorization_headers(world, case, target):
    answer = world.run(target, case.build(world, target), protocol_ok=case.protocol_ok)
    if case.id in ("no_credentials", "basic_not_base64", "bearer_enormous", "unknown_scheme") and answer is not None:
        assert 400 <= answer.status < 500, f"{target.name}: {case.id} was let in: {answer}"


# --- 4. form bodies (OAuth endpoints) ------------------------------------------------------------


def form_case(case_id: str, body: Callable[[bytes], bytes]) -> Case:
    return Case(case_id, lambda w, t: w.request(t, body=body(w.valid_body(t))))


FORM_CASES = [
    form_case("pct_zz", lambda v: v + b"&scope=%zz"),
    form_case("pct_alone", lambda v: v + b"&scope=%"),
    form_case("pct_truncated", lambda v: v + b"&scope=%4"),
    form_case("pct_in_key", lambda v: v + b"&sc%zzope=x"),
    form_case("pct_e9_invalid_utf8", lambda v: v + b"&scope=%e9"),
    form_case("pct_c3_28_invalid_utf8", lambda v: v + b"&scope=%C3%28"),
    form_case("pct_overlong_slash", lambda v: v + b"&scope=%c0%af"),
    form_case("pct_nul", lambda v: v + b"&scope=a%00b"),
    form_case("raw_non_utf8", lambda v: v + b"&scope=\xff\xfe"),
    form_case("raw_nul", lambda v: v + b"&scope=a\x00b"),
    form_case("plus_as_space", lambda v: v.replace(b"_", b"+")),
    form_case("empty_keys", lambda v: b"=&=x&&" + v + b"&&="),
    form_case("key_without_equals", lambda v: v + b"&flag"),
    form_case("only_ampersands", lambda v: b"&" * 60_000),
    form_case("thousands_of_parameters", lambda v: b"&".join(b"p%d=%d" % (i, i) for i in range(5000)) + b"&" + v),
    form_case("thousands_of_duplicates", lambda v: v + b"&dup=1" * 5000),
    form_case("duplicated_known_parameter", lambda v: v + b"&" + v),
    form_case("percent_signs_60k", lambda v: v + b"&x=" + b"%" * 60_000),
    form_case("json_body_as_form", lambda v: b'{"grant_type": "client_credentials"}'),
    Case("json_content_type", lambda w, t: w.request(t, content_type=b"application/json")),
    Case("no_content_type", lambda w, t: w.request(t, content_type=None)),
    Case("content_type_with_charset", lambda w, t: w.request(t, content_type=b"application/x-www-form-urlencoded; charset=utf-8")),
    Case("content_type_non_utf8", lambda w, t: w.request(t, content_type=b"application/x-www-form-urlencoded\xff")),
    Case("multipart_content_type", lambda w, t: w.request(t, content_type=b"multipart/form-data; boundary=x")),
]


@pytest.mark.parametrize("case, target", params(FORM_CASES, FORM_TARGETS))
def test_form_bodies(world, case, target):
    answer = world.run(target, case.build(world, target), protocol_ok=case.protocol_ok)
    if case.id in ("pct_zz", "pct_alone", "pct_e9_invalid_utf8", "raw_non_utf8", "thousands_of_duplicates",
                   "duplicated_known_parameter", "json_content_type"):
        body = json.loads(answer.body)
        assert (answer.status, body.get("error")) == (400, "invalid_request"), f"{target.name}: {answer}"


# --- 5. JSON bodies -------------------------------------------------------------------------------


def first_key(doc: dict) -> str:
    return next(iter(doc))


def json_case(case_id: str, body: Callable[[dict], bytes], status: int | None = 400) -> Case:
    """``status``: the one status this body must get (None: any status below 500)."""
    case = Case(case_id, lambda w, t: w.request(t, body=body(w.valid_json(t))))
    JSON_STATUS[case_id] = status
    return case


def with_value(value: bytes) -> Callable[[dict], bytes]:
    return lambda doc: b'{"' + first_key(doc).encode() + b'":' + value + b"}"


JSON_STATUS: dict[str, int | None] = {}
JSON_CASES = [
    json_case("deep_arrays_10k", lambda d: b"[" * 10_000 + b"]" * 10_000),
    json_case("deep_objects_10k", lambda d: b'{"a":' * 10_000 + b"1" + b"}" * 10_000),
    json_case("deep_unclosed_60k", lambda d: b"[" * 60_000),
    json_case("deep_arrays_in_a_field", with_value(b"[" * 10_000 + b"]" * 10_000)),
    json_case("huge_integer", with_value(b"1" + b"0" * 5000)),
    json_case("huge_exponent", with_value(b"1e999999999")),
    json_case("tiny_exponent", with_value(b"-0.0e-999999999")),
    json_case("nan_literal", with_value(b"NaN")),
    json_case("infinity_literal", with_value(b"-Infinity")),
    # RFC 8259 §4: names SHOULD be unique; parsers disagree on which value wins, so it is refused.
    json_case("duplicated_keys", lambda d: b"{" + b",".join(
        [json.dumps(first_key(d)).encode() + b':"decoy"'] + [json.dumps({k: v})[1:-1].encode() for k, v in d.items()]
    ) + b"}"),
    json_case("bom_then_object", lambda d: b"\xef\xbb\xbf" + json.dumps(d).encode(), status=None),
    json_case("utf16_encoded", lambda d: json.dumps(d).encode("utf-16")),
    json_case("lone_surrogate_escape", with_value(b'"\\ud800"')),
    json_case("escaped_nul", with_value(b'"a\\u0000b"'), status=None),
    json_case("raw_nul_in_string", with_value(b'"a\x00b"')),
    json_case("overlong_utf8", with_value(b'"\xc0\xaf"')),
    json_case("invalid_utf8", with_value(b'"\xff\xfe"')),
    json_case("thousands_of_keys", lambda d: b"{" + b",".join(b'"k%d":%d' % (i, i) for i in range(5000)) + b"}"),
    json_case("string_60k", with_value(b'"' + b"x" * 60_000 + b'"'), status=None),
    json_case("trailing_comma", lambda d: json.dumps(d).encode()[:-1] + b",}"),
    json_case("comment", lambda d: json.dumps(d).encode()[:-1] + b"/* c */}"),
    json_case("single_quotes", lambda d: json.dumps(d).encode().replace(b'"', b"'")),
    json_case("empty_body", lambda d: b""),
    json_case("whitespace_only", lambda d: b" \r\n\t "),
    json_case("two_documents", lambda d: json.dumps(d).encode() * 2),
    json_case("top_level_array", lambda d: json.dumps([d]).encode()),
    json_case("top_level_null", lambda d: b"null"),
    json_case("top_level_huge_string", lambda d: b'"' + b"s" * 60_000 + b'"'),
    json_case("trailing_nul", lambda d: json.dumps(d).encode() + b"\x00"),
]
JSON_CASES += [
    Case("form_content_type", lambda w, t: w.request(t, content_type=b"application/x-www-form-urlencoded")),
    Case("no_content_type", lambda w, t: w.request(t, content_type=None)),
    Case("json_with_charset", lambda w, t: w.request(t, content_type=b"application/json; charset=utf-8")),
    Case("content_type_non_utf8", lambda w, t: w.request(t, content_type=b"application/json\xff")),
]


@pytest.mark.parametrize("case, target", params(JSON_CASES, JSON_TARGETS))
def test_json_bodies(world, case, target):
    answer = world.run(target, case.build(world, target), protocol_ok=case.protocol_ok)
    expected = JSON_STATUS.get(case.id)
    if expected is not None:
        assert answer.status == expected, f"{target.name}: expected {expected}, got {answer}"


# --- 6. connection behaviour ----------------------------------------------------------------------


def test_pipelined_requests_are_answered_in_order(world):
    """Five requests to four endpoints in one write: five answers, in order."""
    data = b"".join([
        world.request(TOKEN),
        b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
        world.request(CHECK, method=b"GET", body=b""),
        world.request(ADMIN, method=b"GET", path=b"/admin/v1/apps?pageSize=1", body=b"", content_type=None),
        world.request(INTROSPECT, close=True),
    ])
    with RawConnection(world.port) as conn:
        conn.send(data)
        answers = [conn.read_answer() for _ in range(5)]
        assert conn.closes_within(READ_TIMEOUT)
    assert [a.status for a in answers] == [200] * 5, "\n".join(map(str, answers))
    assert b"access_token" in answers[0].body
    assert answers[1].body.strip() == b"ok"
    assert answers[2].header("X-Gatehouse-Client") == world.client_id
    assert "items" in json.loads(answers[3].body)
    assert json.loads(answers[4].body)["active"] is True


def test_pipelined_requests_through_the_gateway_are_answered_in_order(world):
    data = b"".join(world.request(GATEWAY, method=b"GET", path=b"/v1/raw/%d" % i, body=b"", content_type=None)
                    for i in range(4))
    with RawConnection(world.gateway_port) as conn:
        conn.send(data)
        answers = [conn.read_answer() for _ in range(4)]
    assert [json.loads(a.body)["path"] for a in answers] == [f"/v1/raw/{i}" for i in range(4)]


def test_a_malformed_request_in_a_pipeline_ends_it_cleanly(world):
    data = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nNOT HTTP AT ALL\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
    with RawConnection(world.port) as conn:
        conn.send(data)
        assert conn.read_answer().status == 200
        try:
            second = conn.read_answer()
        except Closed:
            return
        assert 400 <= second.status < 500, second
        assert conn.closes_within(READ_TIMEOUT), "the request after the malformed one was answered"


@pytest.mark.parametrize("target", TARGETS, ids=str)
def test_a_request_split_into_tiny_writes(world, target):
    data = world.request(target)
    with RawConnection(world.port_of(target)) as conn:
        assert conn.send_in_pieces(data, size=3)
        answer = conn.read_answer()
    assert answer.status in (200, 201), f"{target.name}: {answer}"


@pytest.mark.parametrize("port", ["api", "gateway"])
def test_a_client_that_connects_and_sends_nothing(world, port):
    number = world.port if port == "api" else world.gateway_port
    with RawConnection(number):
        time.sleep(0.2)
    with RawConnection(number) as conn:
        conn.shut_write()
        with pytest.raises(Closed):
            conn.read_answer()


def test_many_idle_connections_do_not_block_others(world):
    idle = [RawConnection(world.port if i % 2 else world.gateway_port) for i in range(100)]
    try:
        for i, conn in enumerate(idle[:50]):
            conn.send(b"POST /oauth/token HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc" if i % 3 else b"GE")
        started = time.monotonic()
        answer = exchange(world.port, world.request(TOKEN))
        assert answer is not None and answer.status == 200, answer
        assert time.monotonic() - started < 2
    finally:
        for conn in idle:
            conn.close()


@pytest.mark.parametrize("partial", [b"POST /oauth/tok", b"POST /oauth/token HTTP/1.1\r\nHost: x\r\nContent-Le",
                                     b"POST /oauth/token HTTP/1.1\r\nHost: x\r\n"], ids=["line", "header", "blank_line"])
def test_half_sent_headers_then_eof(world, partial):
    """The HTTP layer answers a bare 400 or just closes; it never waits for more."""
    with RawConnection(world.port) as conn:
        conn.send(partial)
        conn.shut_write()
        try:
            answer = conn.read_answer()
        except Closed:
            return
    assert 400 <= answer.status < 500 and not answer.body, answer


@pytest.mark.parametrize("target", TARGETS, ids=str)
def test_a_half_sent_body_then_reset(world, target):
    """Half a body, then an abortive close (RST): nothing to answer; the server must shrug."""
    data = world.request(target)
    conn = RawConnection(world.port_of(target))
    conn.send(data[: len(data) - max(1, len(world.valid_body(target)) // 2)])
    conn.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()
    time.sleep(0.05)


@pytest.mark.parametrize("port", ["api", "gateway"])
@pytest.mark.parametrize("greeting", [
    bytes.fromhex("16030100a5010000a10303") + bytes(range(32)) + b"\x00" * 60,  # a TLS ClientHello
    b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + b"\x00\x00\x12\x04\x00\x00\x00\x00\x00",  # the HTTP/2 preface
    b"\x00" * 64,
    b"\r\n" * 5000,
], ids=["tls_client_hello", "http2_preface", "nul_bytes", "10k_empty_lines"])
def test_not_http_at_all(world, port, greeting):
    number = world.port if port == "api" else world.gateway_port
    with RawConnection(number) as conn:
        conn.send(greeting)
        conn.shut_write()
        try:
            answer = conn.read_answer()
        except Closed:
            return
    assert 400 <= answer.status < 500, answer


def test_zz_the_server_survived_the_whole_sweep(world):
    """Last: the process is the one started first, alive, and stderr never showed a crash."""
    assert world.server.proc.poll() is None
    stderr = world.server.stderr
    for marker in CRASH_MARKERS:
        assert marker not in stderr, f"crash marker {marker!r} on stderr"
    assert world.admin_total() >= 1
