"""Issue 14, point 6: numbers at their extremes against the real binary, where a Swift integer
overflow traps and the whole process dies (it did for ``pageIndex=9223372036854775807``).

Every integer a client or the CLI supplies — every list route's ``pageIndex``/``pageSize``, every
integer field of an admin body, the CLI's ``--page-index``/``--page-size``/``--max-applications``/
``--access-token-ttl`` — is driven with Int64/UInt64 edges, overlong digit strings, negative zero,
exponent forms and fractions. Each must be a clear 4xx in the endpoint's own format (or a one-line
CLI failure), and afterwards the server is alive with no crash marker on stderr.
"""

from __future__ import annotations

import pytest
import requests

from conftest import CRASH_MARKERS, assert_one_line_failure
from oauth_support import start_oauth

EXTREMES = [
    "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
    "18446744073709551615", "18446744073709551616", "9" * 400, "-" + "9" * 400,
    "-0", "1e309", "-1e309", "1e3", "1.5", "2147483648",
]
LISTS = ["orgs", "apps", "users", "apikeys", "consumer-credentials", "audit"]


@pytest.fixture(scope="module")
def server(gh_module, admin_key):
    return start_oauth(gh_module, admin_key)


def assert_alive(server) -> None:
    assert server.server.proc.poll() is None, f"the server died:\n{server.server.stderr[-3000:]}"
    assert requests.get(server.base + "/healthz", timeout=5).status_code == 200
    for marker in CRASH_MARKERS:
        assert marker not in server.server.stderr, server.server.stderr[-3000:]


@pytest.mark.parametrize("parameter", ["pageIndex", "pageSize"])
@pytest.mark.parametrize("value", EXTREMES)
def test_every_list_route_refuses_an_extreme_paging_number(server, parameter, value):
    other = "pageSize=2" if parameter == "pageIndex" else "pageIndex=2"
    for name in LISTS:
        r = requests.get(f"{server.base}/admin/v1/{name}?{parameter}={value}&{other}",
                         headers={"Authorization": f"Bearer {server.admin_key}"}, timeout=5)
        assert r.status_code == 400, f"{name}: {r.status_code} {r.text[:300]}"
        assert r.json()["error"] == "invalid_request" and r.json().get("field") == parameter, r.text[:300]
    assert_alive(server)


@pytest.fixture(scope="module")
def some_app(server):
    return server.create_app(name="extremes target")


@pytest.mark.parametrize("field,path", [("maxApplications", "orgs"), ("accessTokenTTL", "apps")])
@pytest.mark.parametrize("value", [v for v in EXTREMES if v != "-0"])
def test_every_integer_body_field_refuses_an_extreme_number(server, some_app, field, path, value):
    name = "extreme" if path == "orgs" else "extreme app"
    existing = "default" if path == "orgs" else some_app.id
    for method, uri, body in [("POST", f"/admin/v1/{path}", f'{{"name":"{name}","{field}":{value}}}'),
                              ("PATCH", f"/admin/v1/{path}/{existing}", f'{{"{field}":{value}}}')]:
        r = requests.request(method, server.base + uri, data=body,
                             headers={"Authorization": f"Bearer {server.admin_key}", "Content-Type": "application/json"}, timeout=5)
        assert r.status_code == 400, f"{method} {uri}: {r.status_code} {r.text[:300]}"
        assert r.json()["error"] == "invalid_request", r.text[:300]
    assert_alive(server)


def test_the_issue_request_answers_400_and_the_server_lives(server):
    r = requests.get(f"{server.base}/admin/v1/apps?pageIndex=9223372036854775807&pageSize=2",
                     headers={"Authorization": f"Bearer {server.admin_key}"}, timeout=5)
    assert r.status_code == 400, r.text
    assert r.json()["field"] == "pageIndex"
    assert_alive(server)


@pytest.mark.parametrize("args", [
    ("org", "list", "--page-index", "9223372036854775807"),
    ("org", "list", "--page-index", "9223372036854775807", "--page-size", "100"),
    ("app", "list", "--page-size", "9223372036854775807"),
    ("org", "list", "--page-index=-9223372036854775808"),
    ("org", "create", "big", "--max-applications", "9223372036854775807"),
    ("app", "create", "--name", "big", "--access-token-ttl", "9223372036854775807"),
])
def test_the_cli_refuses_extreme_numbers_in_one_line(gh, args):
    db = gh.db()
    assert gh.run("migrate", "--database", db).returncode == 0
    assert_one_line_failure(gh.run(*args, "--database", db))


@pytest.mark.parametrize("value", ["9223372036854775808", "18446744073709551616", "9" * 400, "1e309", "-0.5"])
def test_the_cli_refuses_numbers_beyond_64_bits_without_crashing(gh, value):
    db = gh.db()
    assert gh.run("migrate", "--database", db).returncode == 0
    result = gh.run("org", "list", "--page-index", value, "--database", db)
    assert result.returncode > 0, f"exit {result.returncode}:\n{result.stdout}\n{result.stderr[:3000]}"
    for marker in CRASH_MARKERS:
        assert marker not in result.stderr, result.stderr[:3000]
    assert "page-index" in result.stderr, result.stderr[:3000]


SERVE_NUMBERS = [
    ("--port", ()), ("--gateway-port", ("--upstream", "http://127.0.0.1:9")),
    ("--upstream-timeout", ("--gateway-port", "1", "--upstream", "http://127.0.0.1:9")),
    ("--auth-failure-limit", ()), ("--auth-failure-window", ()), ("--auth-lockout", ()), ("--idle-timeout", ()),
]


@pytest.mark.parametrize("option,extra", SERVE_NUMBERS, ids=[o for o, _ in SERVE_NUMBERS])
@pytest.mark.parametrize("value", ["9223372036854775807", "-9223372036854775808"])
def test_serve_refuses_an_extreme_setting_in_one_line(gh, option, extra, value):
    """Every numeric setting of `serve` is range-checked before use: a one-line failure, no trap."""
    result = gh.run("serve", "--database", gh.db(), f"{option}={value}", *extra, timeout=30)
    assert_one_line_failure(result, option.lstrip("-"))
