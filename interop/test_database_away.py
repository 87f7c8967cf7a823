"""The database going away and coming back, against the real binary (SPEC §2, issue 14.11).

"When the database is unreachable, every request that needs it answers `503` in its endpoint's own
format within 5 s (never a `500`, never a hang), requests that can be answered from memory keep
working unless that would trust data older than the change feed can vouch for (fail closed), and
the server recovers by itself within 5 s of the database's return." `/readyz` answers within 2 s.

PostgreSQL: a cluster of the test's own (so stopping it disturbs no other test) is stopped in the
middle of traffic and started again. SQLite: the database file and its WAL are made immutable
(`chattr +i`, which stops even root's writes through open descriptors) and then writable again.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest
import requests

from conftest import free_port
from oauth_support import start_oauth

ANSWER_WITHIN = 5.0  # SPEC §2
READY_WITHIN = 2.0
RECOVER_WITHIN = 5.0
TRUST_LAPSES_AFTER = 2.0  # ChangeFeedTrust.staleness
PG_BINS = sorted(glob.glob("/usr/lib/postgresql/*/bin"))


def timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def expect_unavailable(response: requests.Response, elapsed: float, what: str, error_field: str = "error"):
    assert elapsed < ANSWER_WITHIN, f"{what}: answered after {elapsed:.1f}s"
    assert response.status_code == 503, f"{what}: {response.status_code} {response.text[:300]}"
    assert response.headers.get("Retry-After"), f"{what}: no Retry-After"
    assert response.json()[error_field] == "temporarily_unavailable", f"{what}: {response.text[:300]}"


class Cluster:
    """A throwaway PostgreSQL cluster on 127.0.0.1 that the test stops and starts."""

    def __init__(self):
        self.bin = PG_BINS[-1]
        self.dir = Path(tempfile.mkdtemp(prefix="gatehouse-away-", dir="/tmp"))
        self.data = self.dir / "data"
        self.port = free_port()
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
        self.pg("initdb", "-D", str(self.data), "-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256")
        self.start()
        self.pg("psql", "-h", str(self.dir), "-p", str(self.port), "-U", "postgres", "-d", "postgres", "-q",
                "-c", "CREATE ROLE away LOGIN PASSWORD 'away'", "-c", "CREATE DATABASE away OWNER away")
        self.url = f"postgres://away:away@127.0.0.1:{self.port}/away"

    def pg(self, tool: str, *args: str):
        argv = [f"{self.bin}/{tool}", *args]
        if os.geteuid() == 0:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        subprocess.run(argv, check=True, capture_output=True, timeout=60)

    def start(self):
        self.pg("pg_ctl", "-D", str(self.data), "-l", str(self.dir / "log"), "-w", "-t", "60", "-o",
                f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} -c fsync=off", "start")

    def stop(self):
        self.pg("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def remove(self):
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def cluster():
    if not PG_BINS:
        pytest.skip("PostgreSQL is not installed (scripts/with-postgres installs it)")
    made = Cluster()
    try:
        yield made
    finally:
        made.remove()


class Traffic(threading.Thread):
    """Client-credentials tokens in a loop, recording every status and the slowest answer."""

    def __init__(self, oauth, app):
        super().__init__(daemon=True)
        self.oauth, self.app = oauth, app
        self.statuses: list[int] = []
        self.unformatted: list[str] = []
        self.slowest = 0.0
        self.halt = threading.Event()

    def run(self):
        while not self.halt.is_set():
            response, elapsed = timed(lambda: requests.post(
                self.oauth.token_url, data={"grant_type": "client_credentials"}, auth=self.app.basic, timeout=30))
            self.statuses.append(response.status_code)
            if response.status_code != 200 and response.headers.get("Cache-Control") != "no-store":
                self.unformatted.append(f"{response.status_code} {response.text[:200]}")
            self.slowest = max(self.slowest, elapsed)
            time.sleep(0.02)


def wait_until(check, within: float, what: str) -> float:
    started = time.monotonic()
    while time.monotonic() - started < within + 1:
        try:
            if check():
                return time.monotonic() - started
        except requests.RequestException:
            pass
        time.sleep(0.1)
    pytest.fail(f"{what} not within {within}s")


def test_postgres_stopped_mid_traffic_answers_503_in_time_and_recovers(gh, admin_key, cluster):
    oauth = start_oauth(gh, admin_key, db=cluster.url)
    server = oauth.server
    app = oauth.create_app(("client_credentials", "password", "refresh_token"))
    user = oauth.create_user()
    jwt = oauth.client_credentials(app)["access_token"]
    refresh = oauth.password(app, user)["refresh_token"]
    assert server.get("/v1/check", jwt).status_code == 200
    traffic = Traffic(oauth, app)
    traffic.start()
    time.sleep(0.5)

    cluster.stop()
    stopped = time.monotonic()
    ready, elapsed = timed(lambda: server.get("/readyz"))
    assert ready.status_code == 503 and elapsed < READY_WITHIN, f"/readyz: {ready.status_code} after {elapsed:.1f}s"
    print(f"\nPostgreSQL stopped: /readyz 503 after {elapsed:.2f}s")
    response, elapsed = timed(lambda: server.request("POST", "/admin/v1/orgs", admin_key, json={"name": "while-away"}))
    expect_unavailable(response, elapsed, "admin write")
    response, elapsed = timed(lambda: server.get("/admin/v1/apps", admin_key))
    expect_unavailable(response, elapsed, "admin read")
    response, elapsed = timed(lambda: oauth.refresh(app, refresh))
    expect_unavailable(response, elapsed, "refresh grant")

    # Past the bound the change feed vouched for, cached credentials are no longer trusted.
    time.sleep(max(0.0, stopped + TRUST_LAPSES_AFTER + 0.5 - time.monotonic()))
    response, elapsed = timed(lambda: server.get("/v1/check", jwt))
    expect_unavailable(response, elapsed, "check with a cached token after the feed went dark")
    response, elapsed = timed(lambda: oauth.token(app, grant_type="client_credentials"))
    expect_unavailable(response, elapsed, "client_credentials after the feed went dark")
    time.sleep(1)

    cluster.start()
    recovered = wait_until(lambda: server.get("/readyz").status_code == 200, RECOVER_WITHIN, "/readyz 200 after restart")
    wait_until(lambda: server.get("/v1/check", jwt).status_code == 200, RECOVER_WITHIN - recovered, "the check after restart")
    wait_until(lambda: oauth.token(app, grant_type="client_credentials").status_code == 200, RECOVER_WITHIN,
               "client_credentials after restart")
    print(f"PostgreSQL restarted: /readyz 200 after {recovered:.2f}s; slowest token answer during the outage "
          f"{traffic.slowest:.2f}s")
    assert server.request("POST", "/admin/v1/orgs", admin_key, json={"name": "after-away"}).status_code == 201
    assert oauth.refresh(app, refresh).status_code == 200

    traffic.halt.set()
    traffic.join(timeout=10)
    assert traffic.statuses, "the traffic ran"
    assert set(traffic.statuses) <= {200, 503}, f"statuses seen: {sorted(set(traffic.statuses))}: {traffic.unformatted[:3]}"
    assert not traffic.unformatted, f"answers not in the OAuth format: {traffic.unformatted[:3]}"
    assert 503 in traffic.statuses and traffic.statuses[-1] == 200
    assert traffic.slowest < ANSWER_WITHIN, f"slowest token answer {traffic.slowest:.1f}s"
    assert server.proc.poll() is None, "the server is still running"


def chattr(flag: str, *paths: Path) -> bool:
    if not shutil.which("chattr"):
        return False
    result = subprocess.run(["chattr", flag, *map(str, paths)], capture_output=True)
    return result.returncode == 0


def test_sqlite_file_made_unwritable_answers_writes_503_keeps_reads_and_recovers(gh, admin_key):
    oauth = start_oauth(gh, admin_key, db=gh.db("frozen.sqlite"))
    server = oauth.server
    app = oauth.create_app(("client_credentials", "password", "refresh_token"))
    user = oauth.create_user()
    jwt = oauth.client_credentials(app)["access_token"]
    refresh = oauth.password(app, user)["refresh_token"]
    files = [gh.workdir / "frozen.sqlite", gh.workdir / "frozen.sqlite-wal"]
    if not chattr("+i", *files):
        pytest.skip("chattr +i is not available here (needs root and a file system with attributes)")
    try:
        response, elapsed = timed(lambda: server.request("POST", "/admin/v1/orgs", admin_key, json={"name": "frozen"}))
        expect_unavailable(response, elapsed, "admin write on a read-only file")
        response, elapsed = timed(lambda: oauth.refresh(app, refresh))
        expect_unavailable(response, elapsed, "refresh grant on a read-only file")
        assert server.get("/admin/v1/apps", admin_key).status_code == 200, "reads go on"
        assert server.get("/v1/check", jwt).status_code == 200, "the check goes on"
        assert oauth.token(app, grant_type="client_credentials").status_code == 200, "tokens that need no write go on"
    finally:
        chattr("-i", *files)
    wait_until(lambda: server.request("POST", "/admin/v1/orgs", admin_key, json={"name": "thawed"}).status_code == 201,
               RECOVER_WITHIN, "a write after the file is writable again")
    assert oauth.refresh(app, refresh).status_code == 200
    assert server.proc.poll() is None
