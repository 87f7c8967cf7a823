"""`gatehouse serve` end to end: bootstrap admin key, configuration, failures, signals, logging,
master key, and agreement between the CLI and the server on one database (SPEC §2, §6)."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import time
import uuid

import pytest
import requests

from conftest import (
    CRASH_MARKERS,
    assert_one_line_failure,
    free_port,
    new_master_key,
)
from oauth_support import curl

# --- bootstrap admin key ------------------------------------------------------------------------


def test_first_start_prints_admin_key_once(gh):
    db = gh.db()
    first = gh.start("--database", db)
    keys = first.printed_admin_keys()
    assert len(keys) == 1, f"expected exactly one admin key in the output:\n{first.output}"
    key = keys[0]
    assert key in first.stdout, "the bootstrap key belongs on stdout"
    assert key not in first.stderr, "the bootstrap key must not be logged"

    r = first.get("/admin/v1/orgs", key)
    assert r.status_code == 200, r.text
    body = r.json()
    assert {"items", "pageIndex", "pageSize", "total"} <= body.keys()
    assert "default" in [org["name"] for org in body["items"]]
    assert first.get("/admin/v1/orgs").status_code == 401
    assert first.stop() == 0

    second = gh.start("--database", db)
    assert "ghadm_" not in second.output, f"second start printed a key:\n{second.output}"
    assert second.get("/admin/v1/orgs", key).status_code == 200
    assert second.stop() == 0
    assert "ghadm_" not in second.output


def _adminkey_audit_total(server, key) -> int:
    r = server.get("/admin/v1/audit", key, params={"keywords": "adminkey"})
    assert r.status_code == 200, r.text
    return r.json()["total"]


def test_bootstrap_admin_key_from_environment(gh):
    db = gh.db()
    key = gh.generate_admin_key()
    env = {"GATEHOUSE_BOOTSTRAP_ADMIN_KEY": key}

    first = gh.start("--database", db, env=env)
    assert first.get("/admin/v1/orgs", key).status_code == 200
    assert _adminkey_audit_total(first, key) >= 1, "adding the configured key should be audited"
    assert first.stop() == 0
    assert "ghadm_" not in first.output, f"no key may be printed:\n{first.output}"

    second = gh.start("--database", db, env=env)
    assert second.get("/admin/v1/orgs", key).status_code == 200
    assert second.stop() == 0
    assert "ghadm_" not in second.output


def test_bootstrap_admin_key_restart_changes_nothing(gh):
    db = gh.db()
    key = gh.generate_admin_key()
    env = {"GATEHOUSE_BOOTSTRAP_ADMIN_KEY": key}

    first = gh.start("--database", db, env=env)
    total = _adminkey_audit_total(first, key)
    assert first.stop() == 0

    second = gh.start("--database", db, env=env)
    assert second.get("/admin/v1/orgs", key).status_code == 200
    assert _adminkey_audit_total(second, key) == total, "a restart with the same key must change nothing"


def test_bootstrap_admin_key_added_to_existing_database(gh):
    db = gh.db()
    first = gh.start("--database", db)
    (generated,) = first.printed_admin_keys()
    assert first.stop() == 0

    configured = gh.generate_admin_key()
    second = gh.start("--database", db, env={"GATEHOUSE_BOOTSTRAP_ADMIN_KEY": configured})
    assert "ghadm_" not in second.output
    assert second.get("/admin/v1/orgs", configured).status_code == 200
    assert second.get("/admin/v1/orgs", generated).status_code == 200
    # A well-formed admin key that was never stored opens nothing.
    assert second.get("/admin/v1/orgs", gh.generate_admin_key()).status_code == 401


@pytest.mark.parametrize("kind", ["garbage", "wrong-checksum", "client-secret-prefix", "truncated"])
def test_malformed_bootstrap_admin_key_is_refused(gh, kind):
    good = gh.generate_admin_key()
    value = {
        "garbage": "not-an-admin-key",
        "wrong-checksum": good[:-1] + ("A" if good[-1] != "A" else "B"),
        "client-secret-prefix": "ghcs_" + good[len("ghadm_"):],
        "truncated": good[:20],
    }[kind]
    started = time.monotonic()
    result = gh.run("serve", "--database", gh.db(), "--port", str(free_port()),
                    env={"GATEHOUSE_BOOTSTRAP_ADMIN_KEY": value})
    assert time.monotonic() - started < 30
    assert_one_line_failure(result, "GATEHOUSE_BOOTSTRAP_ADMIN_KEY")
    mentions = [l for l in result.stderr.splitlines() if "GATEHOUSE_BOOTSTRAP_ADMIN_KEY" in l]
    assert len(mentions) == 1, result.stderr
    assert value not in result.stderr + result.stdout, "the offered key must not be echoed"
    assert "ghadm_" not in result.stdout, "no key may be generated when the configured one is refused"


# --- configuration precedence -------------------------------------------------------------------


def _refused(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(1)
        return s.connect_ex((host, port)) != 0


def test_port_flag_beats_environment(gh):
    env_port, flag_port = free_port(), free_port()
    server = gh.start("--database", gh.db(), "--port", str(flag_port), port=flag_port,
                      env={"GATEHOUSE_PORT": str(env_port)})
    assert server.get("/healthz").status_code == 200
    assert _refused("127.0.0.1", env_port)


def test_port_and_host_from_environment(gh):
    port = free_port()
    # 127.0.0.2 is loopback on Linux but not the default 127.0.0.1, so this proves the variable is read.
    server = gh.start(port=port, host="127.0.0.2",
                      env={"GATEHOUSE_PORT": str(port), "GATEHOUSE_HOST": "127.0.0.2",
                           "GATEHOUSE_DATABASE_URL": gh.db()})
    assert server.get("/healthz").status_code == 200
    assert _refused("127.0.0.1", port)
    assert (gh.workdir / "g.sqlite").exists(), "GATEHOUSE_DATABASE_URL was not used"
    assert not (gh.workdir / "gatehouse.sqlite").exists()


def test_host_flag_beats_environment(gh):
    port = free_port()
    server = gh.start("--host", "127.0.0.1", "--database", gh.db(), port=port,
                      env={"GATEHOUSE_PORT": str(port), "GATEHOUSE_HOST": "127.0.0.2"})
    assert server.get("/healthz").status_code == 200
    assert _refused("127.0.0.2", port)


def test_database_flag_beats_environment(gh):
    server = gh.start("--database", gh.db("flag.sqlite"), env={"GATEHOUSE_DATABASE_URL": gh.db("env.sqlite")})
    assert server.get("/healthz").status_code == 200
    assert (gh.workdir / "flag.sqlite").exists()
    assert not (gh.workdir / "env.sqlite").exists()


# --- invalid configuration ----------------------------------------------------------------------

INVALID = {
    "unparsable-database-url": (["--database", "foo://x"], {}, "database"),
    "unreachable-postgres": (["--database", "postgres://u:p@127.0.0.1:1/db"], {}, "database"),
    "bad-master-key": ([], {"GATEHOUSE_MASTER_KEY": "abc"}, "GATEHOUSE_MASTER_KEY"),
    "bad-log-level": (["--log-level", "loud"], {}, "log-level"),
    "bad-port-env": ([], {"GATEHOUSE_PORT": "eighty"}, "port"),
    "bad-trusted-proxies": (["--trusted-proxies", "10.0.0.0/8,nonsense"], {}, "nonsense"),
    "negative-auth-failure-limit": ([], {"GATEHOUSE_AUTH_FAILURE_LIMIT": "-1"}, "auth-failure-limit"),
    "bad-auth-lockout-env": ([], {"GATEHOUSE_AUTH_LOCKOUT": "soon"}, "auth-lockout"),
    "zero-auth-failure-window": (["--auth-failure-window", "0"], {}, "auth-failure-window"),
    "bad-idle-timeout-env": ([], {"GATEHOUSE_IDLE_TIMEOUT": "0"}, "idle-timeout"),
}


@pytest.mark.parametrize("case", list(INVALID))
def test_invalid_configuration_fails_fast(gh, case):
    args, env, mention = INVALID[case]
    if "--database" not in args:
        args = [*args, "--database", gh.db()]
    if "GATEHOUSE_PORT" not in env:
        args = [*args, "--port", str(free_port())]
    started = time.monotonic()
    result = gh.run("serve", *args, env=env, timeout=30)
    assert time.monotonic() - started < 30
    assert_one_line_failure(result, mention)
    assert ":p@" not in result.stderr, "the database password must not be printed"


def _closed_within(sock: socket.socket, seconds: float) -> float | None:
    """Seconds until the server closed `sock` (EOF or reset), or None if it was still open."""
    started = time.monotonic()
    sock.settimeout(seconds)
    try:
        while sock.recv(65536):
            pass
    except socket.timeout:
        return None
    except ConnectionResetError:
        pass
    return time.monotonic() - started


def test_idle_connections_are_closed_after_the_idle_timeout(gh):
    server = gh.start("--database", gh.db(), "--idle-timeout", "1")
    # A client that connects and sends nothing, one that stops in the middle of its request line,
    # and a keep-alive connection after one answered request.
    silent = socket.create_connection(("127.0.0.1", server.port))
    stalled = socket.create_connection(("127.0.0.1", server.port))
    stalled.sendall(b"GET /heal")
    kept = socket.create_connection(("127.0.0.1", server.port))
    kept.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    assert kept.recv(65536).startswith(b"HTTP/1.1 200")
    for sock in (silent, stalled, kept):
        with sock:
            closed = _closed_within(sock, 5)
            assert closed is not None, "the server kept an idle connection past its idle timeout"
    # The default is 75 s: a connection idle for 2 s is still served.
    default = gh.start("--database", gh.db())
    with socket.create_connection(("127.0.0.1", default.port)) as sock:
        time.sleep(2)
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        sock.settimeout(5)
        assert sock.recv(65536).startswith(b"HTTP/1.1 200")


def test_port_in_use_fails_with_one_line(gh):
    # The crash is a race, so try several times: all must give the clean one-line error.
    # SWIFT_BACKTRACE=enable=no keeps a crash cheap (the backtracer takes ~5 s per crash); the
    # runtime's "Assertion failed" line and the signal exit status still give it away.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        for attempt in range(8):
            started = time.monotonic()
            result = gh.run("serve", "--database", gh.db(f"p{attempt}.sqlite"), "--port", str(port),
                            env={"SWIFT_BACKTRACE": "enable=no"}, timeout=30)
            assert time.monotonic() - started < 30
            line = assert_one_line_failure(result)
            assert "in use" in line or "listen" in line, line


# --- signals ------------------------------------------------------------------------------------


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_signal_stops_server_cleanly(gh, sig):
    server = gh.start("--database", gh.db())
    # An idle keep-alive connection must not hold up a graceful shutdown.
    session = requests.Session()
    assert session.get(server.base + "/healthz", timeout=5).status_code == 200
    started = time.monotonic()
    assert server.stop(sig, timeout=10) == 0, server.stderr[-3000:]
    assert time.monotonic() - started < 10
    for marker in CRASH_MARKERS:
        assert marker not in server.stderr
    # The port is free again.
    assert _refused("127.0.0.1", server.port)


# --- request logging ----------------------------------------------------------------------------

DURATION = r"\d+(\.\d+)?\s*(ns|µs|us|ms|s)\b"


def test_one_log_line_per_request_and_no_secrets(gh):
    admin_key = gh.generate_admin_key()
    stranger_key = gh.generate_admin_key()  # well-formed, never stored
    server = gh.start("--database", gh.db(), env={"GATEHOUSE_BOOTSTRAP_ADMIN_KEY": admin_key})

    marker = f"/no-such-path-{uuid.uuid4().hex}"
    for _ in range(3):
        assert server.get(marker).status_code == 404
    assert server.get("/admin/v1/orgs", admin_key).status_code == 200
    assert server.get("/admin/v1/orgs", stranger_key).status_code == 401

    created = server.post("/admin/v1/apps", admin_key, json={"name": "Logged", "scopes": ["a"]})
    assert created.status_code == 201, created.text
    app = created.json()
    secret = app["clientSecret"]
    assert secret.startswith("ghcs_")
    rotated = server.post(f"/admin/v1/apps/{app['id']}/secret", admin_key)
    assert rotated.status_code in (200, 201), rotated.text
    new_secret = rotated.json()["clientSecret"]
    assert new_secret != secret
    # Secrets in a query string or a header must not reach the log either.
    server.get("/healthz", params={"client_secret": secret, "key": admin_key})
    server.get("/admin/v1/apps", new_secret)

    assert server.stop() == 0
    output = server.output

    def lines(method, path, status):
        pattern = re.compile(rf"{method} {re.escape(path)} {status} {DURATION}")
        return [l for l in output.splitlines() if pattern.search(l)]

    assert len(lines("GET", marker, 404)) == 3, output
    assert len(lines("GET", "/admin/v1/orgs", 200)) == 1, output
    assert len(lines("GET", "/admin/v1/orgs", 401)) == 1, output
    assert len(lines("POST", "/admin/v1/apps", 201)) == 1, output
    assert len(lines("POST", f"/admin/v1/apps/{app['id']}/secret", "20[01]")) == 1, output
    assert lines("GET", "/healthz", 200), output
    assert lines("GET", "/admin/v1/apps", 401), output

    for secret_value in (admin_key, stranger_key, secret, new_secret):
        assert secret_value not in output, "a secret reached the server output"
    assert "ghcs_" not in output and "ghadm_" not in output


# --- master key ---------------------------------------------------------------------------------


def test_master_key_must_match_the_database(gh):
    db = gh.db()
    master = new_master_key()
    admin_key = gh.generate_admin_key()
    env = {"GATEHOUSE_MASTER_KEY": master, "GATEHOUSE_BOOTSTRAP_ADMIN_KEY": admin_key}

    first = gh.start("--database", db, env=env)
    created = first.post("/admin/v1/apps", admin_key, json={"name": "Sealed"})
    assert created.status_code == 201, created.text
    app_id = created.json()["id"]
    assert first.stop() == 0
    assert "GATEHOUSE_MASTER_KEY is not set" not in first.output

    other = new_master_key()
    result = gh.run("serve", "--database", db, "--port", str(free_port()),
                    env={**env, "GATEHOUSE_MASTER_KEY": other})
    assert_one_line_failure(result, "GATEHOUSE_MASTER_KEY")
    assert other not in result.stderr and master not in result.stderr

    missing = gh.run("serve", "--database", db, "--port", str(free_port()),
                     env={"GATEHOUSE_BOOTSTRAP_ADMIN_KEY": admin_key})
    assert_one_line_failure(missing, "GATEHOUSE_MASTER_KEY")

    again = gh.start("--database", db, env=env)
    r = again.get(f"/admin/v1/apps/{app_id}", admin_key)
    assert r.status_code == 200, r.text
    assert "clientSecret" not in r.json()


def test_sqlite_files_are_created_readable_by_the_owner_only(gh):
    """Issue 14.7: the file holds the pepper and (without a master key) the signing keys."""
    server = gh.start("--database", gh.db("private.sqlite"))
    r = server.post("/admin/v1/orgs", server.printed_admin_keys()[0], json={"name": "writes-the-wal"})
    assert r.status_code == 201, r.text
    for name in ("private.sqlite", "private.sqlite-wal", "private.sqlite-shm"):
        path = gh.workdir / name
        assert path.exists(), name
        assert path.stat().st_mode & 0o777 == 0o600, f"{name}: {oct(path.stat().st_mode & 0o777)}"
    assert "readable or writable by other users" not in server.output


def test_an_existing_database_file_open_to_others_is_reported_at_start(gh):
    path = gh.workdir / "shared.sqlite"
    path.touch()
    path.chmod(0o644)
    server = gh.start("--database", gh.db("shared.sqlite"))
    assert server.get("/healthz").status_code == 200
    warning = [line for line in server.output.splitlines() if "readable or writable by other users" in line]
    assert warning and "644" in warning[0], server.output[:3000]


@pytest.mark.skipif(not os.environ.get("GATEHOUSE_TEST_POSTGRES_URL"), reason="GATEHOUSE_TEST_POSTGRES_URL is not set")
def test_postgres_without_a_master_key_is_refused_unless_plaintext_is_accepted(gh):
    pg = os.environ["GATEHOUSE_TEST_POSTGRES_URL"]
    refused = gh.run("serve", "--database", pg, "--port", str(free_port()),
                     env={"GATEHOUSE_ALLOW_PLAINTEXT_SECRETS": "0"})
    assert_one_line_failure(refused, "GATEHOUSE_MASTER_KEY", "--allow-plaintext-secrets")
    assert ":gatehouse@" not in refused.stderr
    # The refusal comes before the database is touched, so a plaintext start on a database the
    # test session keeps encrypted is not tried here: the flag is checked on an unreachable one.
    unreachable = "postgres://u:p@127.0.0.1:1/db"
    accepted = gh.run("serve", "--database", unreachable, "--allow-plaintext-secrets", "--port", str(free_port()),
                      env={"GATEHOUSE_ALLOW_PLAINTEXT_SECRETS": "0"}, timeout=30)
    line = assert_one_line_failure(accepted, "database")
    assert "MASTER_KEY" not in line, line


# --- CLI and server on one database -------------------------------------------------------------


def _cli_json(gh, *args, env=None):
    result = gh.run(*args, "--json", env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_cli_created_app_is_served(gh):
    db = gh.db()
    org = _cli_json(gh, "org", "create", "acme", "--database", db)
    app = _cli_json(gh, "app", "create", "--name", "Shop", "--organisation", "acme", "--scope", "a", "--database", db)
    cli_admin = gh.run("admin", "create-key", "--name", "ops", "--database", db)
    assert cli_admin.returncode == 0, cli_admin.stderr
    cli_admin_key = cli_admin.stdout.split()[-1]
    assert cli_admin_key.startswith("ghadm_")

    admin_key = gh.generate_admin_key()
    server = gh.start("--database", db, env={"GATEHOUSE_BOOTSTRAP_ADMIN_KEY": admin_key})
    assert "ghadm_" not in server.output, "an admin key already exists: nothing may be generated"

    listed = server.get("/admin/v1/apps", admin_key)
    assert listed.status_code == 200, listed.text
    body = listed.json()
    served = {item["id"]: item for item in body["items"]}
    assert app["id"] in served
    assert served[app["id"]]["clientId"] == app["clientId"]
    assert served[app["id"]]["organisation"] == org["id"]
    assert served[app["id"]]["scopes"] == ["a"]
    assert "clientSecret" not in listed.text and app["clientSecret"] not in listed.text

    orgs = server.get("/admin/v1/orgs", admin_key).json()
    assert "acme" in [o["name"] for o in orgs["items"]]
    # The key made by `admin create-key` is an admin key for the server too.
    assert server.get("/admin/v1/apps", cli_admin_key).status_code == 200

    # And the other way round: the CLI sees what the server made.
    made = server.post("/admin/v1/apps", admin_key, json={"name": "ViaHTTP", "organisation": "acme"})
    assert made.status_code == 201, made.text
    assert server.stop() == 0
    shown = _cli_json(gh, "app", "show", made.json()["id"], "--database", db)
    assert shown["name"] == "ViaHTTP" and "clientSecret" not in shown


# --- SPEC §7: repeated failed authentication --------------------------------------------------

def throttled_shop(gh, *flags, grant_types=("client_credentials",)):
    """A server that locks after 5 failed authentications (limit from the environment), started
    with `flags`, and an app "Shop" with `grant_types`: (server, app, token URL)."""
    admin_key = gh.generate_admin_key()
    server = gh.start("--database", gh.db(), *flags,
                      env={"GATEHOUSE_BOOTSTRAP_ADMIN_KEY": admin_key, "GATEHOUSE_AUTH_FAILURE_LIMIT": "5"})
    app = server.post("/admin/v1/apps", admin_key, json={"name": "Shop", "grantTypes": list(grant_types)}).json()
    return server, app, f"{server.base}/oauth/token"


def test_repeated_failed_authentication_is_refused_with_retry_after(gh):
    """Five wrong client secrets from curl (limit from the environment, lockout from the flag);
    then even the right secret gets 429 with Retry-After until the lock ends."""
    server, app, token_url = throttled_shop(gh, "--auth-lockout", "2")
    wrong = f"{app['clientId']}:ghcs_wrong"
    for _ in range(5):
        status, _, body = curl(token_url, "-u", wrong, "-d", "grant_type=client_credentials", workdir=gh.workdir)
        assert status == 401 and json.loads(body)["error"] == "invalid_client"
    right = f"{app['clientId']}:{app['clientSecret']}"
    status, headers, body = curl(token_url, "-u", right, "-d", "grant_type=client_credentials", workdir=gh.workdir)
    assert status == 429, body
    assert json.loads(body)["error"] == "temporarily_unavailable"
    assert headers["retry-after"] in ("1", "2")
    assert app["clientSecret"] not in body
    time.sleep(int(headers["retry-after"]) + 0.2)
    status, _, body = curl(token_url, "-u", right, "-d", "grant_type=client_credentials", workdir=gh.workdir)
    assert status == 200, body
    assert app["clientSecret"] not in server.output, "no secret in the log"


def test_throttle_strangers_lock_an_api_user_for_strangers_not_for_the_address_it_signed_in_from(gh):
    """Issue 14, the red team's scenario: an API user's client id is in every JWT it holds, and
    strangers guessing its secret from many addresses locked the real integration out. With a
    limit of 2 (one guess per account and address, ten per account), ten strangers lock the
    account for strangers: the right secret from a fresh address gets 429. The integration, which
    got a token from its own address before, still gets one from there."""
    admin_key = gh.generate_admin_key()
    server = gh.start("--database", gh.db(), "--trusted-proxies", "127.0.0.1/32",
                      env={"GATEHOUSE_BOOTSTRAP_ADMIN_KEY": admin_key, "GATEHOUSE_AUTH_FAILURE_LIMIT": "2"})
    secret = "pw-" + uuid.uuid4().hex
    made = server.post("/admin/v1/users", admin_key, json={"username": "apiu", "password": secret, "apiUser": True})
    assert made.status_code == 201, made.text

    def token(password: str, address: str) -> tuple[int, dict[str, str], str]:
        return curl(f"{server.base}/oauth/token", "-u", f"apiu:{password}", "-H", f"X-Forwarded-For: {address}",
                    "-d", "grant_type=client_credentials", workdir=gh.workdir)

    status, _, body = token(secret, "198.51.100.1")
    assert status == 200, body
    for number in range(10):
        status, _, body = token("wrong-pass", f"203.0.113.{number}")
        assert status == 401, body
    status, headers, body = token(secret, "198.51.100.2")
    assert status == 429 and int(headers["retry-after"]) > 0, body
    status, _, body = token(secret, "198.51.100.1")
    assert status == 200, body


def test_a_client_id_or_user_name_longer_than_any_is_refused_in_the_oauth_format(gh):
    """Issue 14: a made-up client id of 10 KiB is invalid_client, a user name of 201 characters
    invalid_request, each answered at once (no lookup, no KDF)."""
    _, app, token_url = throttled_shop(gh, grant_types=("client_credentials", "password"))
    long_id = "x" * 10240
    status, _, body = curl(token_url, "-d", f"grant_type=client_credentials&client_id={long_id}&client_secret=wrong",
                           workdir=gh.workdir)
    assert status == 401 and json.loads(body)["error"] == "invalid_client", body
    right = f"{app['clientId']}:{app['clientSecret']}"
    status, _, body = curl(token_url, "-u", right, "-d", f"grant_type=password&username={'a' * 201}&password=whatever",
                           workdir=gh.workdir)
    assert status == 400 and json.loads(body)["error"] == "invalid_request", body


def test_wrong_secrets_from_many_addresses_never_lock_the_client_out(gh):
    """Issue 14: anyone who saw a client id could lock it out with 20 wrong secrets. Now 25
    wrong secrets from 25 addresses (named by a trusted proxy) leave the client alone: the right
    secret from a 26th address gets its token; an address that failed too often is refused."""
    _, app, token_url = throttled_shop(gh, "--trusted-proxies", "127.0.0.1/32")
    wrong = f"{app['clientId']}:ghcs_wrong"
    right = f"{app['clientId']}:{app['clientSecret']}"
    for number in range(25):
        status, _, body = curl(token_url, "-u", wrong, "-H", f"X-Forwarded-For: 203.0.113.{number}",
                               "-d", "grant_type=client_credentials", workdir=gh.workdir)
        assert status == 401 and json.loads(body)["error"] == "invalid_client", body
    status, _, body = curl(token_url, "-u", right, "-H", "X-Forwarded-For: 198.51.100.26",
                           "-d", "grant_type=client_credentials", workdir=gh.workdir)
    assert status == 200, body
    for _ in range(5):
        curl(token_url, "-u", wrong, "-H", "X-Forwarded-For: 203.0.113.99", "-d", "grant_type=client_credentials",
             workdir=gh.workdir)
    status, _, body = curl(token_url, "-u", right, "-H", "X-Forwarded-For: 203.0.113.99",
                           "-d", "grant_type=client_credentials", workdir=gh.workdir)
    assert status == 429, body
