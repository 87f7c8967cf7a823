"""RFC 9110 §15.5.6 against the real binary, with raw HTTP/1.1 bytes (SPEC §6, issue 15 point 2).

A declared path asked with a method it does not have answers 405 with an ``Allow`` field listing
exactly the path's methods, in its route group's own error format; an unknown path stays 404; the
gateway listener proxies every method by design, so it still judges the request (401 here).
Methods NIO's HTTP parser does not know (``BREW``) are refused by it with a bare 400 before any
routing, and ``CONNECT`` switches it to tunnelling, so neither reaches the router: the cases use
methods it parses (``LINK``, ``UNLINK``).
"""

from __future__ import annotations

import json

import pytest
import requests

from conftest import free_port
from test_raw_http import exchange

CHECK_METHODS = ("GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, TRACE, "
                 "COPY, LOCK, MKCOL, MOVE, PROPFIND, PROPPATCH, PURGE, REPORT, SEARCH, UNLOCK")

# (method, path, Allow, format): one or more paths of every route group.
CASES = [
    ("TRACE", "/admin/v1/orgs", "GET, POST", "admin"),
    ("PATCH", "/admin/v1/apps", "GET, POST", "admin"),
    ("TRACE", "/admin/v1/apps/someid", "GET, PATCH, DELETE", "admin"),
    ("PUT", "/admin/openapi.json", "GET", "admin"),
    ("DELETE", "/oauth/token", "POST", "oauth"),
    ("GET", "/oauth/introspect", "POST", "oauth"),
    ("TRACE", "/oauth/jwks", "GET", "oauth"),
    ("POST", "/.well-known/openid-configuration", "GET", "oauth"),
    ("GET", "/authentication/consumer_application_key/token", "POST", "consumer"),
    ("TRACE", "/v1/customer-sessions", "POST", "admin"),
    ("LINK", "/v1/check", CHECK_METHODS, "check"),
    ("UNLINK", "/v1/check/orders/1", CHECK_METHODS, "check"),
    ("TRACE", "/healthz", "GET", "check"),
]


def request(method: str, path: str) -> bytes:
    return f"{method} {path} HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n".encode()


def assert_format(kind: str, body: dict) -> None:
    if kind in ("admin", "check"):
        assert body["error"] == "method_not_allowed" and body["message"], body
    elif kind == "oauth":
        assert body["error"] == "invalid_request" and body["error_description"], body
    else:
        assert body["data"] is None and body["status"]["code"] == "INVALID_REQUEST", body


@pytest.fixture(scope="module")
def ports(gh_module, admin_key) -> dict[str, int]:
    metrics, gateway = free_port(), free_port()
    server = gh_module.start("--database", gh_module.db(), "--metrics-port", str(metrics),
                             "--gateway-port", str(gateway), "--upstream", "http://127.0.0.1:9",
                             env={"GATEHOUSE_BOOTSTRAP_ADMIN_KEY": admin_key})
    return {"main": server.port, "metrics": metrics, "gateway": gateway}


@pytest.mark.parametrize("method, path, allow, kind", CASES, ids=[f"{m} {p}" for m, p, _, _ in CASES])
def test_an_undeclared_method_is_405_with_allow_in_the_groups_format(ports, method, path, allow, kind):
    answer = exchange(ports["main"], request(method, path))
    assert answer is not None and answer.status == 405, answer
    assert answer.header("Allow") == allow, answer
    assert answer.header("Content-Type").startswith("application/json"), answer
    assert_format(kind, json.loads(answer.body))


def test_head_on_a_get_path_is_405_with_allow_get_and_no_content(ports):
    answer = requests.head(f"http://127.0.0.1:{ports['main']}/readyz", timeout=5)
    assert answer.status_code == 405 and answer.headers["Allow"] == "GET", answer.headers
    assert answer.content == b""


@pytest.mark.parametrize("method, path", [("TRACE", "/nowhere"), ("GET", "/admin/v1/nowhere"), ("DELETE", "/oauth")])
def test_an_unknown_path_stays_404(ports, method, path):
    answer = exchange(ports["main"], request(method, path))
    assert answer is not None and answer.status == 404, answer
    assert answer.header("Allow") is None, answer


def test_the_metrics_listener_answers_405_on_metrics_and_404_elsewhere(ports):
    answer = exchange(ports["metrics"], request("POST", "/metrics"))
    assert answer is not None and answer.status == 405 and answer.header("Allow") == "GET", answer
    answer = exchange(ports["metrics"], request("TRACE", "/healthz"))
    assert answer is not None and answer.status == 404, answer


def test_the_gateway_still_judges_every_method(ports):
    answer = exchange(ports["gateway"], request("TRACE", "/orders"))
    assert answer is not None and answer.status == 401, answer
    assert answer.header("Allow") is None, answer
