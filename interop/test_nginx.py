"""nginx `auth_request` in front of a tiny upstream, with Gatehouse's `/v1/check` as the judge
(SPEC §5, docs/enforcement.md).

One Gatehouse (`--trusted-proxies 127.0.0.1/32`), one upstream (a Python http.server on a free
loopback port that answers every request with the `X-Gatehouse-*` headers it received, as JSON)
and one nginx (foreground, everything inside a temporary directory) with two servers:

- ``hardened``: the configuration docs/enforcement.md recommends (sets X-Forwarded-* *and*
  X-Original-*, and every identity header including the customer);
- ``minimal``: the five-line recipe that sets only X-Original-URI/X-Original-Method, kept to show
  why the hardened one exists.

nginx is installed from Debian when it is missing (root only); the module is skipped, with the
reason, only when that is impossible. nginx and the upstream are always stopped.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import free_port
from oauth_support import start_oauth, unique

IDENTITY_HEADERS = ("X-Gatehouse-Subject", "X-Gatehouse-Client", "X-Gatehouse-Org", "X-Gatehouse-Scope", "X-Gatehouse-Customer")
INVALID_TOKEN = 'Bearer error="invalid_token"'


# --- nginx binary -------------------------------------------------------------------------------


def _find_nginx() -> str | None:
    for candidate in (shutil.which("nginx"), "/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def _install_nginx() -> str:
    """Debian's nginx-light (or nginx): both have the auth_request module."""
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        return "nginx is not installed and apt-get cannot be run here (not root, or not Debian)"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    log = []
    for attempt in (["apt-get", "install", "-y", "-q", "nginx-light"], ["apt-get", "update", "-q"],
                    ["apt-get", "install", "-y", "-q", "nginx-light"], ["apt-get", "install", "-y", "-q", "nginx"]):
        try:
            result = subprocess.run(attempt, env=env, capture_output=True, text=True, timeout=600)
        except (OSError, subprocess.TimeoutExpired) as error:
            log.append(f"{' '.join(attempt)}: {error}")
            continue
        log.append(f"{' '.join(attempt)}: exit {result.returncode} {result.stderr.strip()[-300:]}")
        if _find_nginx():
            return ""
    return "could not install nginx: " + " | ".join(log)


@pytest.fixture(scope="module")
def nginx_bin() -> str:
    binary = _find_nginx()
    if binary is None:
        reason = _install_nginx()
        binary = _find_nginx()
        if binary is None:
            pytest.skip(reason or "nginx could not be installed", allow_module_level=True)
    version = subprocess.run([binary, "-V"], capture_output=True, text=True, timeout=30)
    if "http_auth_request_module" not in version.stderr + version.stdout:
        pytest.skip(f"{binary} was built without ngx_http_auth_request_module", allow_module_level=True)
    return binary


# --- the upstream -------------------------------------------------------------------------------


class EchoHandler(BaseHTTPRequestHandler):
    """Answers any method with what reached the upstream: method, target and the identity headers
    (every field line, so a duplicate would show)."""

    seen: list[dict] = []

    def _echo(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        received = {
            "method": self.command,
            "path": self.path,
            "headers": {name: self.headers.get_all(name) or [] for name in IDENTITY_HEADERS},
        }
        EchoHandler.seen.append(received)
        body = json.dumps(received).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def __getattr__(self, name: str):
        if name.startswith("do_"):
            return self._echo
        raise AttributeError(name)

    def log_message(self, *args) -> None:  # quiet
        pass


@pytest.fixture(scope="module")
def upstream():
    server = ThreadingHTTPServer(("127.0.0.1", 0), EchoHandler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="echo-upstream", daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


# --- Gatehouse ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gatehouse(gh_module, admin_key):
    return start_oauth(gh_module, admin_key, "--trusted-proxies", "127.0.0.1/32")


@pytest.fixture(scope="module")
def strict_gatehouse(gh_module, admin_key):
    """Locks a client IP after 3 failed authentications (SPEC §7)."""
    return start_oauth(gh_module, admin_key, "--trusted-proxies", "127.0.0.1/32", env={"GATEHOUSE_AUTH_FAILURE_LIMIT": "3"})


# --- nginx --------------------------------------------------------------------------------------

# Tested by this module; docs/enforcement.md shows the same blocks.
HARDENED_SERVER = """
    server {{
        listen 127.0.0.1:{port};

        # auth_request turns every answer of the check but 2xx, 401 and 403 into a 500. This
        # gives the client back a 503 (the database is away: docs/availability.md) and the 429
        # of a client locked out after failed authentication, each with its Retry-After.
        error_page 500 = @gatehouse_500;
        location @gatehouse_500 {{
            if ($gh_status = 503) {{
                add_header Retry-After $gh_retry_after always;
                return 503;
            }}
            if ($gh_retry_after) {{
                add_header Retry-After $gh_retry_after always;
                return 429;
            }}
            return 500;
        }}

        location = /_gatehouse {{
            internal;
            proxy_pass http://127.0.0.1:{gatehouse}/v1/check;
            proxy_pass_request_body off;
            proxy_set_header Content-Length "";
            proxy_set_header X-Original-URI $request_uri;
            proxy_set_header X-Original-Method $request_method;
            proxy_set_header X-Forwarded-Uri $request_uri;
            proxy_set_header X-Forwarded-Method $request_method;
            proxy_set_header X-Forwarded-For $remote_addr;
        }}

        location = /_gatehouse_write {{
            internal;
            proxy_pass http://127.0.0.1:{gatehouse}/v1/check?required_scope=orders:write;
            proxy_pass_request_body off;
            proxy_set_header Content-Length "";
            proxy_set_header X-Original-URI $request_uri;
            proxy_set_header X-Original-Method $request_method;
            proxy_set_header X-Forwarded-Uri $request_uri;
            proxy_set_header X-Forwarded-Method $request_method;
            proxy_set_header X-Forwarded-For $remote_addr;
        }}

        location / {{
            auth_request /_gatehouse;
            include {identity};
            proxy_pass http://127.0.0.1:{upstream};
        }}

        location /v1/orders/write/ {{
            auth_request /_gatehouse_write;
            include {identity};
            proxy_pass http://127.0.0.1:{upstream};
        }}
    }}
"""

IDENTITY_INCLUDE = """
auth_request_set $gh_subject  $upstream_http_x_gatehouse_subject;
auth_request_set $gh_client   $upstream_http_x_gatehouse_client;
auth_request_set $gh_org      $upstream_http_x_gatehouse_org;
auth_request_set $gh_scope    $upstream_http_x_gatehouse_scope;
auth_request_set $gh_customer $upstream_http_x_gatehouse_customer;
auth_request_set $gh_retry_after $upstream_http_retry_after;
auth_request_set $gh_status $upstream_status;
proxy_set_header X-Gatehouse-Subject  $gh_subject;
proxy_set_header X-Gatehouse-Client   $gh_client;
proxy_set_header X-Gatehouse-Org      $gh_org;
proxy_set_header X-Gatehouse-Scope    $gh_scope;
proxy_set_header X-Gatehouse-Customer $gh_customer;
"""

# The recipe most nginx auth_request examples give: only X-Original-*, the client's own
# X-Forwarded-* headers pass through to the check untouched.
MINIMAL_SERVER = """
    server {{
        listen 127.0.0.1:{port};

        location = /_gatehouse {{
            internal;
            proxy_pass http://127.0.0.1:{gatehouse}/v1/check;
            proxy_pass_request_body off;
            proxy_set_header Content-Length "";
            proxy_set_header X-Original-URI $request_uri;
            proxy_set_header X-Original-Method $request_method;
            proxy_set_header X-Forwarded-For $remote_addr;
        }}

        location / {{
            auth_request /_gatehouse;
            include {identity};
            proxy_pass http://127.0.0.1:{upstream};
        }}
    }}
"""

NGINX_CONF = """
{user}
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log info;
events {{ worker_connections 64; }}
http {{
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
{servers}
}}
"""


class Nginx:
    def __init__(self, proc: subprocess.Popen, ports: dict[str, int], tmp: Path):
        self.proc = proc
        self.ports = ports
        self.tmp = tmp

    def error_log(self) -> str:
        path = self.tmp / "error.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""


def _wait_listening(port: int, proc: subprocess.Popen, tmp: Path, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"nginx exited with {proc.returncode}:\n{(tmp / 'error.log').read_text(errors='replace')[-3000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    pytest.fail(f"nginx not listening on {port} within {timeout}s")


@pytest.fixture(scope="module")
def nginx(nginx_bin, gatehouse, strict_gatehouse, upstream, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("nginx")
    ports = {"hardened": free_port(), "minimal": free_port(), "strict": free_port()}
    identity = tmp / "gatehouse_identity.conf"
    identity.write_text(IDENTITY_INCLUDE)
    common = {"gatehouse": gatehouse.server.port, "upstream": upstream, "identity": identity}
    servers = HARDENED_SERVER.format(port=ports["hardened"], **common) + MINIMAL_SERVER.format(port=ports["minimal"], **common)
    servers += HARDENED_SERVER.format(port=ports["strict"], **{**common, "gatehouse": strict_gatehouse.server.port})
    conf = tmp / "nginx.conf"
    conf.write_text(NGINX_CONF.format(user="user root;" if os.geteuid() == 0 else "", tmp=tmp, servers=servers))
    argv = [nginx_bin, "-p", str(tmp), "-c", str(conf), "-g", "daemon off;"]
    check = subprocess.run(argv[:-2] + ["-t"], capture_output=True, text=True, timeout=30)
    assert check.returncode == 0, f"nginx -t:\n{check.stderr}"
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=open(tmp / "stderr.log", "wb"))
    try:
        for port in ports.values():
            _wait_listening(port, proc, tmp)
        yield Nginx(proc, ports, tmp)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGQUIT)  # graceful; the master stops its workers
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


# --- requests -----------------------------------------------------------------------------------


class Answer:
    def __init__(self, response: http.client.HTTPResponse):
        self.status = response.status
        self.headers = response.headers
        self.raw = response.read()

    @property
    def json(self) -> dict:
        return json.loads(self.raw)

    def identity(self) -> dict[str, list[str]]:
        """The X-Gatehouse-* field lines the upstream received."""
        assert self.status == 200, f"{self.status}: {self.raw[:500]!r}"
        return self.json["headers"]

    def __repr__(self) -> str:
        return f"<{self.status} {self.raw[:300]!r}>"


def send(port: int, method: str, target: str, headers: list[tuple[str, str]] = (), bearer: str | None = None) -> Answer:
    """One request with the target sent byte for byte (no client-side normalisation)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        connection.putrequest(method, target, skip_accept_encoding=True)
        if bearer is not None:
            connection.putheader("Authorization", f"Bearer {bearer}")
        for name, value in headers:
            connection.putheader(name, value)
        connection.endheaders()
        return Answer(connection.getresponse())
    finally:
        connection.close()


def create_key(gatehouse, **fields) -> str:
    return gatehouse.admin("POST", "/admin/v1/apikeys", {"name": unique("key"), **fields})["key"]


def create_app(gatehouse, **fields):
    body = {"name": unique("app"), "grantTypes": ["client_credentials"], "scopes": ["orders:read", "orders:write"], **fields}
    made = gatehouse.admin("POST", "/admin/v1/apps", body)
    return made


def token_of(gatehouse, app: dict, scope: str | None = None) -> str:
    form = {"grant_type": "client_credentials", **({"scope": scope} if scope else {})}
    return gatehouse.token_ok((app["clientId"], app["clientSecret"]), **form)["access_token"]


@pytest.fixture(scope="module")
def orders_app(gatehouse):
    """GET and POST on /v1/orders/** only."""
    return create_app(gatehouse, allowedMethods=["GET", "POST"], resources=["/v1/orders/**"])


@pytest.fixture(scope="module")
def read_token(gatehouse, orders_app):
    return token_of(gatehouse, orders_app, "orders:read")


@pytest.fixture(scope="module")
def orders_key(gatehouse, orders_app):
    return create_key(gatehouse, application=orders_app["id"])


def expect_identity(answer: Answer, app: dict, scope: str) -> None:
    assert answer.status == 200, answer
    assert answer.identity() == {
        "X-Gatehouse-Subject": [app["clientId"]],
        "X-Gatehouse-Client": [app["clientId"]],
        "X-Gatehouse-Org": [app["organisation"]],
        "X-Gatehouse-Scope": [scope],
        "X-Gatehouse-Customer": [],
    }, answer


# --- tests --------------------------------------------------------------------------------------


def test_token_and_api_key_pass_with_identity_headers(nginx, orders_app, read_token, orders_key):
    port = nginx.ports["hardened"]
    answer = send(port, "GET", "/v1/orders/1", bearer=read_token)
    expect_identity(answer, orders_app, "orders:read")
    assert answer.json["method"] == "GET" and answer.json["path"] == "/v1/orders/1"

    for headers in ([("Authorization", f"Bearer {orders_key}")], [("X-API-Key", orders_key)]):
        answer = send(port, "POST", "/v1/orders", headers=headers + [("Content-Length", "0")])
        expect_identity(answer, orders_app, "orders:read orders:write")
        assert answer.json["method"] == "POST"


def test_missing_or_bad_credential_is_401_with_the_challenge(nginx, orders_key, read_token):
    port = nginx.ports["hardened"]
    before = len(EchoHandler.seen)
    for bearer, headers in [
        (None, []),
        ("garbage", []),
        (orders_key[:-1] + ("0" if orders_key[-1] != "0" else "1"), []),  # a typo'd key
        (read_token[:-2], []),  # a truncated JWT
        (None, [("X-API-Key", "ghak_not-a-key")]),
        (None, [("X-Gatehouse-Subject", "admin")]),  # identity headers are no credential
    ]:
        answer = send(port, "GET", "/v1/orders/1", headers=headers, bearer=bearer)
        assert answer.status == 401, (bearer, headers, answer)
        assert answer.headers.get_all("WWW-Authenticate") == [INVALID_TOKEN], answer.headers
    assert len(EchoHandler.seen) == before, "a refused request reached the upstream"


def test_out_of_policy_requests_are_403(gatehouse, nginx, orders_app, read_token):
    port = nginx.ports["hardened"]
    before = len(EchoHandler.seen)
    assert send(port, "DELETE", "/v1/orders/1", bearer=read_token).status == 403  # method_not_allowed
    assert send(port, "GET", "/v1/users", bearer=read_token).status == 403  # resource_not_allowed
    assert send(port, "GET", "/v1/orders/write/1", bearer=read_token).status == 403  # required_scope=orders:write
    assert len(EchoHandler.seen) == before, "a refused request reached the upstream"

    write_token = token_of(gatehouse, orders_app, "orders:write")
    expect_identity(send(port, "GET", "/v1/orders/write/1", bearer=write_token), orders_app, "orders:write")

    # ip_not_allowed: the client is 127.0.0.1; a client-sent X-Forwarded-For/X-Real-IP does not
    # change that, because nginx replaces X-Forwarded-For with $remote_addr.
    remote_only = create_app(gatehouse, allowedIPs=["203.0.113.0/24"])
    remote_token = token_of(gatehouse, remote_only)
    for spoof in ([], [("X-Forwarded-For", "203.0.113.7")], [("X-Real-IP", "203.0.113.7")]):
        assert send(port, "GET", "/v1/orders/1", headers=spoof, bearer=remote_token).status == 403, spoof
    local_only = create_app(gatehouse, allowedIPs=["127.0.0.1/32"])
    local_token = token_of(gatehouse, local_only)
    expect_identity(
        send(port, "GET", "/v1/orders/1", headers=[("X-Forwarded-For", "203.0.113.7")], bearer=local_token),
        local_only, "orders:read orders:write")


@pytest.mark.parametrize(
    ("target", "status"),
    [
        ("/v1/orders/1?x=/../admin", 200),  # the query is not the path
        ("/v1/orders/", 200),  # a trailing slash is literal, under /v1/orders/**
        ("/v1/admin//../orders", 403),  # nginx reads /v1/orders, a WHATWG upstream /v1/admin/orders: refused
        ("//v1/orders/1", 403),  # empty segments are refused, not merged
        ("/v1/orders/./1", 403),
        ("/v1/orders/../admin", 403),
        ("/v1/orders/%2e%2e/admin", 403),
        ("/v1/orders/%252e%252e/admin", 403),
        ("/v1/orders;x/1", 403),
        ("/v1/orders%2fadmin", 403),
        ("/V1/orders/1", 403),
    ],
)
def test_hostile_paths_are_judged_as_sent(nginx, read_token, target, status):
    """nginx passes `$request_uri` (the raw target, before nginx's own normalisation) to Gatehouse,
    which refuses any target an upstream could read another way."""
    before = len(EchoHandler.seen)
    answer = send(nginx.ports["hardened"], "GET", target, bearer=read_token)
    assert answer.status == status, answer
    assert len(EchoHandler.seen) == before + (1 if status == 200 else 0)


@pytest.mark.parametrize(
    ("headers", "target", "status"),
    [
        ([("X-HTTP-Method-Override", "DELETE")], "/v1/orders/1", 403),
        ([("X-HTTP-Method", "DELETE")], "/v1/orders/1", 403),
        ([("X-Method-Override", "PUT")], "/v1/orders/1", 403),
        ([], "/v1/orders/1?_method=DELETE", 403),
        ([("X-HTTP-Method-Override", "POST"), ("X-HTTP-Method", "GET")], "/v1/orders/1", 403),
        ([("X-HTTP-Method-Override", "POST")], "/v1/orders/1", 200),  # GET and POST are both allowed
    ],
)
def test_method_overrides_are_judged_through_auth_request(nginx, read_token, headers, target, status):
    """auth_request passes the client's headers to the check, so a GET the upstream would read as a
    DELETE (X-HTTP-Method-Override) is judged as a DELETE too."""
    answer = send(nginx.ports["hardened"], "GET", target, headers=headers, bearer=read_token)
    assert answer.status == status, (headers, target, answer)


def test_client_sent_identity_headers_are_overwritten(gatehouse, nginx, orders_app, read_token):
    forged = [(name, "forged") for name in IDENTITY_HEADERS]
    answer = send(nginx.ports["hardened"], "GET", "/v1/orders/1", headers=forged, bearer=read_token)
    expect_identity(answer, orders_app, "orders:read")  # the customer header is gone, not "forged"

    # A customer-session token: nginx passes Gatehouse's customer, not the client's.
    sessions = create_app(gatehouse, sessionAccess="any")
    user = gatehouse.create_user()
    app_token = token_of(gatehouse, sessions, "orders:read")
    opened = gatehouse.server.post("/v1/customer-sessions", app_token, json={"customer": user.username})
    assert opened.status_code == 200, opened.text
    session = opened.json()["access_token"]
    answer = send(nginx.ports["hardened"], "GET", "/v1/orders/1", headers=forged, bearer=session)
    assert answer.identity() == {
        "X-Gatehouse-Subject": [user.id],
        "X-Gatehouse-Client": [sessions["clientId"]],
        "X-Gatehouse-Org": [sessions["organisation"]],
        "X-Gatehouse-Scope": ["orders:read"],
        "X-Gatehouse-Customer": [user.id],
    }


def test_client_sent_forwarded_headers_cannot_redirect_the_check(nginx, read_token):
    """The hardened config sets X-Forwarded-Uri/-Method itself, so the client's are replaced."""
    spoof = [("X-Forwarded-Uri", "/v1/orders/1"), ("X-Forwarded-Method", "GET")]
    assert send(nginx.ports["hardened"], "DELETE", "/v1/admin", headers=spoof, bearer=read_token).status == 403


def test_any_method_is_judged_by_its_forwarded_name(gatehouse, nginx):
    """nginx makes every auth_request subrequest a GET, so /v1/check is reached whatever the
    client's method; the real one travels in X-Forwarded-Method/X-Original-Method."""
    app = create_app(gatehouse)
    token = token_of(gatehouse, app)
    answer = send(nginx.ports["hardened"], "PROPFIND", "/v1/files/1", bearer=token)
    assert answer.status == 200, answer
    assert answer.json["method"] == "PROPFIND"
    limited = create_app(gatehouse, allowedMethods=["GET"])
    assert send(nginx.ports["hardened"], "PROPFIND", "/v1/files/1", bearer=token_of(gatehouse, limited)).status == 403


def test_minimal_config_works_for_honest_clients(nginx, orders_app, read_token):
    port = nginx.ports["minimal"]
    expect_identity(send(port, "GET", "/v1/orders/1", bearer=read_token), orders_app, "orders:read")
    assert send(port, "GET", "/v1/orders/1").status == 401
    assert send(port, "DELETE", "/v1/orders/1", bearer=read_token).status == 403
    assert send(port, "GET", "/v1/users", bearer=read_token).status == 403


def test_minimal_config_client_cannot_pick_the_checked_path(nginx, read_token):
    before = len(EchoHandler.seen)
    spoof = [("X-Forwarded-Uri", "/v1/orders/1"), ("X-Forwarded-Method", "GET")]
    answer = send(nginx.ports["minimal"], "DELETE", "/v1/admin/everything", headers=spoof, bearer=read_token)
    assert answer.status == 403, f"DELETE /v1/admin/everything reached the upstream: {answer}"
    assert len(EchoHandler.seen) == before



def test_a_locked_out_client_gets_429_with_retry_after(nginx, strict_gatehouse):
    """The hardened server's error_page gives back the check's 429 (auth_request alone makes it 500)."""
    port = nginx.ports["strict"]
    app = create_app(strict_gatehouse)
    key = create_key(strict_gatehouse, application=app["id"])
    assert send(port, "GET", "/v1/orders/1", headers=[("X-API-Key", key)]).status == 200
    before = len(EchoHandler.seen)
    for _ in range(3):
        assert send(port, "GET", "/v1/orders/1", headers=[("X-API-Key", "ghak_not-a-key")]).status == 401
    answer = send(port, "GET", "/v1/orders/1", headers=[("X-API-Key", key)])
    assert answer.status == 429, answer
    assert 1 <= int(answer.headers["Retry-After"]) <= 60, answer.headers
    assert len(EchoHandler.seen) == before, "a refused request reached the upstream"


def test_the_database_away_reaches_the_client_as_503_with_retry_after(nginx_bin, upstream, gh, admin_key, tmp_path):
    """docs/availability.md: while the database is away the check answers 503, which auth_request
    alone turns into a 500; the recipe's @gatehouse_500 gives the client the 503 and Retry-After
    back (and never a 429). The database is a PostgreSQL cluster of the test's own, stopped."""
    from test_database_away import PG_BINS, TRUST_LAPSES_AFTER, Cluster
    if not PG_BINS:
        pytest.skip("PostgreSQL is not installed (scripts/with-postgres installs it)")
    cluster = Cluster()
    proc = None
    try:
        oauth = start_oauth(gh, admin_key, "--trusted-proxies", "127.0.0.1/32", db=cluster.url)
        key = oauth.admin("POST", "/admin/v1/apikeys", {"name": unique("away"), "application": oauth.create_app().id})["key"]
        identity = tmp_path / "gatehouse_identity.conf"
        identity.write_text(IDENTITY_INCLUDE)
        port = free_port()
        server = HARDENED_SERVER.format(port=port, gatehouse=oauth.server.port, upstream=upstream, identity=identity)
        conf = tmp_path / "nginx.conf"
        conf.write_text(NGINX_CONF.format(user="user root;" if os.geteuid() == 0 else "", tmp=tmp_path, servers=server))
        proc = subprocess.Popen([nginx_bin, "-p", str(tmp_path), "-c", str(conf), "-g", "daemon off;"],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=open(tmp_path / "stderr.log", "wb"))
        _wait_listening(port, proc, tmp_path)
        assert send(port, "GET", "/v1/orders/1", [("X-API-Key", key)]).status == 200

        cluster.stop()
        time.sleep(TRUST_LAPSES_AFTER + 0.5)  # the cached key is no longer believed
        answer = send(port, "GET", "/v1/orders/1", [("X-API-Key", key)])
        assert answer.status == 503, answer
        assert answer.headers["Retry-After"] == "2", answer.headers
    finally:
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGQUIT)
            proc.wait(timeout=10)
        cluster.remove()
