"""The admin API's OpenAPI document is exact (SPEC §6): schemathesis against the real binary.

schemathesis reads /admin/openapi.json from a live server on SQLite and sends what the document
describes and what it does not (every phase: the documented examples, the boundary "coverage"
cases, random fuzzing, and stateful sequences through the document's links), with every check it
has: server errors, status code, content type, response headers and response schema conformance,
positive and negative data acceptance, unsupported methods (405 with Allow), missing required
headers, ignored authentication, use after free and resource availability. The run is bounded
(examples per operation, one seed) so it stays within about two minutes on two cores, and must
find nothing. schemathesis.toml adds 413 to what counts as a refusal; schemathesis_hooks.py says
the two things JSON Schema cannot (how an integer is spelt, "in the future").
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# Test cases per operation and phase; the seed makes the run repeatable.
MAX_EXAMPLES = int(os.environ.get("GATEHOUSE_SCHEMATHESIS_EXAMPLES", "25"))
SEED = 20261203
RUN_TIMEOUT = 600  # seconds: a hung run fails instead of blocking CI
HERE = Path(__file__).resolve().parent


def test_schemathesis_finds_no_mismatch_between_the_document_and_the_server(gh, admin_key, tmp_path: Path):
    server = gh.start("--database", gh.db(), env={"GATEHOUSE_BOOTSTRAP_ADMIN_KEY": admin_key})
    schemathesis = Path(sys.executable).with_name("schemathesis")
    report = tmp_path / "schemathesis.xml"
    command = [
        str(schemathesis), "--config-file", str(HERE / "schemathesis.toml"),
        "run", f"{server.base}/admin/openapi.json",
        "--header", f"Authorization: Bearer {admin_key}",
        "--checks", "all",
        "--max-examples", str(MAX_EXAMPLES),
        "--seed", str(SEED),
        # One worker: hypothesis reads its lambdas back with ast.parse, which CPython 3.11 cannot do from two threads at once.
        "--workers", "1",
        "--no-shrink",
        # A user's password is hashed with 600,000 PBKDF2 rounds, slow in a debug build on 2 busy cores.
        "--request-timeout", "60",
        "--generation-database", "none",
        "--report", "junit", "--report-junit-path", str(report),
        "--no-color",
    ]
    keys = server.get("/admin/v1/admin-keys", admin_key)
    assert keys.status_code == 200, keys.text
    own = [item["id"] for item in keys.json()["items"] if admin_key.startswith(item["keyPrefix"])]
    assert len(own) == 1, keys.text
    env = {
        **os.environ, "SCHEMATHESIS_HOOKS": "schemathesis_hooks", "PYTHONPATH": str(HERE),
        "GATEHOUSE_OWN_ADMIN_KEY_ID": own[0],
    }
    result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT)
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"schemathesis found mismatches (exit {result.returncode}):\n{output[-20000:]}"
    assert "No issues found" in output or "passed" in output, output[-5000:]
    server_log = server.output
    assert "Fatal error" not in server_log and "Precondition failed" not in server_log, server_log[-3000:]
