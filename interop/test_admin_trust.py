"""Issue 14 points 10 and 12 against the real binary: the audit log names the client behind a
trusted proxy and keeps a rate-limited trace of failed admin authentications; `/metrics` leaves
the public port (a separate `--metrics-port` listener, or a bearer token)."""

from __future__ import annotations

import pytest
import requests

from conftest import assert_one_line_failure, free_port

TOKEN = "metrics-token-" + "x9" * 16


def _failures(server, key):
    items = server.get("/admin/v1/audit?pageSize=100", key).json()["items"]
    return [item for item in items if item["action"] == "adminkey.authenticate.failure"]


def test_audit_names_the_client_behind_a_trusted_proxy_and_failed_admin_keys(gh):
    key = gh.generate_admin_key()
    server = gh.start("--database", gh.db(), "--trusted-proxies", "127.0.0.1/32",
                      env={"GATEHOUSE_BOOTSTRAP_ADMIN_KEY": key, "GATEHOUSE_AUTH_FAILURE_LIMIT": "0"})
    created = server.post("/admin/v1/orgs", key, json={"name": "acme"}, headers={"X-Forwarded-For": "198.51.100.20"})
    assert created.status_code == 201, created.text
    newest = server.get("/admin/v1/audit?pageSize=1", key).json()["items"][0]
    assert newest["action"] == "organisation.create" and newest["ip"] == "198.51.100.20"

    wrong = gh.generate_admin_key()
    for _ in range(30):
        r = server.get("/admin/v1/orgs", wrong, headers={"X-Forwarded-For": "198.51.100.21"})
        assert r.status_code == 401
    rows = _failures(server, key)
    assert len(rows) == 1, rows  # a flood from one address: one row a minute
    assert rows[0]["ip"] == "198.51.100.21" and rows[0]["actor"] == "unknown"
    assert rows[0]["details"]["keyPrefix"] == wrong[:10]
    audit_text = server.get("/admin/v1/audit?pageSize=100", key).text
    assert wrong not in audit_text and wrong not in server.output


def test_metrics_is_not_on_the_public_port_by_default(gh):
    server = gh.start("--database", gh.db())
    assert server.get("/metrics").status_code == 404


def test_metrics_port_serves_only_metrics_and_the_main_port_none(gh):
    metrics_port = free_port()
    server = gh.start("--database", gh.db(), "--metrics-port", str(metrics_port))
    server.get("/healthz")
    assert server.get("/metrics").status_code == 404
    scraped = requests.get(f"http://127.0.0.1:{metrics_port}/metrics", timeout=5)
    assert scraped.status_code == 200 and "gatehouse_http_requests_total" in scraped.text
    assert scraped.headers["content-type"].startswith("text/plain")
    for path in ("/healthz", "/admin/v1/orgs", "/v1/check"):
        assert requests.get(f"http://127.0.0.1:{metrics_port}{path}", timeout=5).status_code == 404, path


def test_metrics_token_guards_metrics_wherever_it_is_served(gh):
    server = gh.start("--database", gh.db(), env={"GATEHOUSE_METRICS_TOKEN": TOKEN})
    assert server.get("/metrics").status_code == 401
    assert server.get("/metrics", "wrong").status_code == 401
    assert server.get("/metrics", TOKEN).status_code == 200
    assert TOKEN not in server.output

    metrics_port = free_port()
    both = gh.start("--database", gh.db("both.sqlite"), "--metrics-port", str(metrics_port),
                    env={"GATEHOUSE_METRICS_TOKEN": TOKEN})
    assert both.get("/metrics", TOKEN).status_code == 404
    url = f"http://127.0.0.1:{metrics_port}/metrics"
    assert requests.get(url, timeout=5).status_code == 401
    assert requests.get(url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=5).status_code == 200


@pytest.mark.parametrize("args, env, mention", [
    (["--metrics-port", "0"], {}, "metrics-port"),
    ([], {"GATEHOUSE_METRICS_PORT": "many"}, "metrics-port"),
    ([], {"GATEHOUSE_METRICS_TOKEN": "short"}, "GATEHOUSE_METRICS_TOKEN"),
    (["--metrics-port", "18999", "--gateway-port", "18999", "--upstream", "http://127.0.0.1:9"], {}, "metrics-port"),
])
def test_bad_metrics_configuration_fails_fast(gh, args, env, mention):
    result = gh.run("serve", "--database", gh.db(), "--port", str(free_port()), *args, env=env, timeout=30)
    line = assert_one_line_failure(result, mention)
    assert "short" not in line or mention != "GATEHOUSE_METRICS_TOKEN"
