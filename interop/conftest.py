"""Shared fixtures for the Gatehouse end-to-end suite.

Everything here drives the real, already built binary (``GATEHOUSE_BIN``, default
``<repo>/.build/debug/gatehouse``) over loopback. Each test gets its own temporary directory,
SQLite file and free port; every server a test starts is stopped by a fixture finalizer.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

REPO = Path(__file__).resolve().parent.parent
SOURCE_BIN = Path(os.environ.get("GATEHOUSE_BIN", REPO / ".build" / "debug" / "gatehouse"))
# The binary actually run: a private copy made once per session (see `_binary`), so that a
# concurrent `swift build` relinking SOURCE_BIN neither breaks exec ("Text file busy") nor mixes
# two builds in one run.
BIN = SOURCE_BIN

HEALTH_TIMEOUT = 20.0  # seconds to wait for GET /healthz after start
CLI_TIMEOUT = 30.0  # seconds any one-shot command may take
STOP_TIMEOUT = 10.0  # seconds a signalled server may take to exit

ADMIN_KEY_RE = re.compile(r"ghadm_[A-Za-z0-9]+")
# A swift-log line: "2026-01-01T00:00:00+0000 info gatehouse: ..."
LOG_LINE_RE = re.compile(r"^\d{4}-\d\d-\d\dT\S+ (trace|debug|info|notice|warning|error|critical) ")
# What a crash, a Swift runtime trap or a backtrace leaves on stderr.
CRASH_MARKERS = (
    "Fatal error",
    "Assertion failed",
    "Precondition failed",
    "Backtrac",
    "Program crashed",
    "Thread 0",
    "Signal ",
    "Stack dump",
)


def _clean_env(extra: dict[str, str] | None = None, argv: list[str] | tuple[str, ...] = ()) -> dict[str, str]:
    """The caller's environment without any GATEHOUSE_* setting, plus ``extra``.

    A command on PostgreSQL gets the session's one master key unless ``extra`` names one: `serve`
    refuses PostgreSQL without a master key (docs/secrets.md), and every instance and CLI run on
    the one test database must share it.

    The suites fail authentication on purpose, many times a minute, all from 127.0.0.1: servers
    here allow 10,000 failures a minute unless a test sets GATEHOUSE_AUTH_FAILURE_LIMIT itself
    (test_serve.py's throttle test does; the Swift suite ThrottleTests covers every endpoint)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GATEHOUSE_")}
    env["GATEHOUSE_AUTH_FAILURE_LIMIT"] = "10000"
    env.update(extra or {})
    names_postgres = any(a.startswith("postgres") for a in argv) or env.get("GATEHOUSE_DATABASE_URL", "").startswith("postgres")
    if names_postgres and "GATEHOUSE_MASTER_KEY" not in env and "GATEHOUSE_ALLOW_PLAINTEXT_SECRETS" not in env:
        env["GATEHOUSE_MASTER_KEY"] = POSTGRES_MASTER_KEY
    return env


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def new_master_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


# The master key of every server and CLI run on the test PostgreSQL database (see _clean_env).
POSTGRES_MASTER_KEY = new_master_key()


def error_lines(stderr: str) -> list[str]:
    """Lines of stderr that are not ordinary log lines (i.e. what the command reported)."""
    return [line for line in stderr.splitlines() if line.strip() and not LOG_LINE_RE.match(line)]


def assert_one_line_failure(result: subprocess.CompletedProcess, *mentions: str) -> str:
    """A failed command: non-zero exit, exactly one `gatehouse: …` line on stderr, no crash."""
    assert result.returncode != 0, f"expected failure, got 0\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert result.returncode > 0, f"killed by signal {-result.returncode} (crash?)\nstderr:\n{result.stderr[:3000]}"
    for marker in CRASH_MARKERS:
        assert marker not in result.stderr, f"crash marker {marker!r} on stderr:\n{result.stderr[:3000]}"
    lines = error_lines(result.stderr)
    assert len(lines) == 1, f"expected one error line on stderr, got {len(lines)}:\n{result.stderr[:3000]}"
    line = lines[0]
    assert line.startswith("gatehouse: "), line
    for word in mentions:
        assert word.lower() in line.lower(), f"{word!r} not in {line!r}"
    return line


class Gatehouse:
    """Runs the binary: one-shot commands and `serve` processes, all inside one tmp dir."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.servers: list[Server] = []

    def db(self, name: str = "g.sqlite") -> str:
        return f"sqlite://{self.workdir / name}"

    def run(self, *args: str, env: dict[str, str] | None = None, timeout: float = CLI_TIMEOUT) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(BIN), *args],
            cwd=self.workdir,
            env=_clean_env(env, args),
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def generate_admin_key(self) -> str:
        result = self.run("admin", "generate-key")
        assert result.returncode == 0, result.stderr
        key = result.stdout.split()[-1]
        assert key.startswith("ghadm_"), result.stdout
        return key

    def start(self, *args: str, env: dict[str, str] | None = None, port: int | None = None,
              wait: bool = True, host: str = "127.0.0.1") -> "Server":
        """Start `gatehouse serve ARGS`. Adds `--port` unless ``port`` is 0 (caller sets it)."""
        argv = ["serve", *args]
        if port is None:
            port = free_port()
            argv += ["--port", str(port)]
        index = len(self.servers)
        server = Server(self, argv, env or {}, port, host, index)
        self.servers.append(server)
        if wait:
            server.wait_healthy()
        return server

    def stop_all(self) -> None:
        for server in self.servers:
            server.kill()


class Server:
    def __init__(self, gatehouse: Gatehouse, argv: list[str], env: dict[str, str], port: int, host: str, index: int):
        self.port = port
        self.host = host
        self.base = f"http://{host}:{port}"
        self.stdout_path = gatehouse.workdir / f"server{index}.stdout"
        self.stderr_path = gatehouse.workdir / f"server{index}.stderr"
        self._stdout = open(self.stdout_path, "wb")
        self._stderr = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen(
            [str(BIN), *argv],
            cwd=gatehouse.workdir,
            env=_clean_env(env, argv),
            stdin=subprocess.DEVNULL,
            stdout=self._stdout,
            stderr=self._stderr,
        )

    # --- output -------------------------------------------------------------------------------
    @property
    def stdout(self) -> str:
        return self.stdout_path.read_text(errors="replace")

    @property
    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def printed_admin_keys(self) -> list[str]:
        return ADMIN_KEY_RE.findall(self.output)

    # --- lifecycle ----------------------------------------------------------------------------
    def wait_healthy(self, timeout: float = HEALTH_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(
                    f"server exited with {self.proc.returncode} before becoming healthy\n"
                    f"stdout:\n{self.stdout}\nstderr:\n{self.stderr[:3000]}"
                )
            try:
                if requests.get(self.base + "/healthz", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.05)
        self.kill()
        pytest.fail(f"server not healthy within {timeout}s\nstdout:\n{self.stdout}\nstderr:\n{self.stderr[:3000]}")

    def wait_exit(self, timeout: float = CLI_TIMEOUT) -> int:
        try:
            return self.proc.wait(timeout=timeout)
        finally:
            self._close_files()

    def stop(self, sig: int = signal.SIGTERM, timeout: float = STOP_TIMEOUT) -> int:
        """Signal the server and wait for it; returns its exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.wait_exit(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            pytest.fail(f"server did not exit within {timeout}s of signal {sig}")

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self._close_files()

    def _close_files(self) -> None:
        for handle in (self._stdout, self._stderr):
            if not handle.closed:
                handle.close()

    # --- HTTP ---------------------------------------------------------------------------------
    def request(self, method: str, path: str, key: str | None = None, **kwargs) -> requests.Response:
        headers = kwargs.pop("headers", {})
        if key is not None:
            headers["Authorization"] = f"Bearer {key}"
        return requests.request(method, self.base + path, headers=headers, timeout=10, **kwargs)

    def get(self, path: str, key: str | None = None, **kwargs) -> requests.Response:
        return self.request("GET", path, key, **kwargs)

    def post(self, path: str, key: str | None = None, **kwargs) -> requests.Response:
        return self.request("POST", path, key, **kwargs)


@pytest.fixture(scope="session", autouse=True)
def _binary(tmp_path_factory):
    global BIN
    if not SOURCE_BIN.is_file() or not os.access(SOURCE_BIN, os.X_OK):
        pytest.fail(f"gatehouse binary not found at {SOURCE_BIN} (build it, or set GATEHOUSE_BIN)", pytrace=False)
    copy = tmp_path_factory.mktemp("bin") / "gatehouse"
    deadline = time.monotonic() + 120
    while True:
        before = SOURCE_BIN.stat()
        try:
            shutil.copy2(SOURCE_BIN, copy)
            after = SOURCE_BIN.stat()
            stable = (before.st_size, before.st_mtime_ns) == (after.st_size, after.st_mtime_ns)
            runs = stable and subprocess.run([str(copy), "--help"], capture_output=True, timeout=30).returncode == 0
        except OSError:
            runs = False
        if runs:
            break
        if time.monotonic() > deadline:
            pytest.fail(f"could not take a stable copy of {SOURCE_BIN} (is it being rebuilt?)", pytrace=False)
        time.sleep(1)
    BIN = copy
    yield copy


@pytest.fixture
def gh(tmp_path: Path):
    gatehouse = Gatehouse(tmp_path)
    try:
        yield gatehouse
    finally:
        gatehouse.stop_all()


@pytest.fixture(scope="module")
def gh_module(tmp_path_factory, _binary):
    """Like ``gh``, shared by the tests of one module: for servers that tests do not disturb."""
    gatehouse = Gatehouse(tmp_path_factory.mktemp("module"))
    try:
        yield gatehouse
    finally:
        gatehouse.stop_all()


@pytest.fixture(scope="session")
def admin_key(tmp_path_factory, _binary) -> str:
    """One well-formed admin key for the session, for GATEHOUSE_BOOTSTRAP_ADMIN_KEY."""
    return Gatehouse(tmp_path_factory.mktemp("adminkey")).generate_admin_key()
