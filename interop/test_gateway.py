"""The gateway listener (SPEC §5): `gatehouse serve --gateway-port P --upstream URL` checks every
request like /v1/check and proxies the allowed ones, with streamed bodies and identity headers."""
import http.client
import http.server
import json
import socket
import threading
import time

import pytest
import requests

from conftest import free_port


class Upstream(http.server.BaseHTTPRequestHandler):
    """Echoes what it received as JSON; `/slow` answers after 3 s."""

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().strip(), 16)
                if size == 0:
                    self.rfile.readline()
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            body = b"".join(chunks)
        if self.path.startswith("/v1/slow"):
            time.sleep(3)
        payload = json.dumps({
            "method": self.command, "path": self.path, "bodyLength": len(body),
            "headers": {k.lower(): v for k, v in self.headers.items()},
        }).encode()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.send_header("X-Upstream", "yes")
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the gateway gave up on a slow answer: expected in the 504 test

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_TRACE = do_CONNECT = _answer

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def upstream():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Upstream)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def gateway(gh_module, admin_key, upstream):
    port = free_port()
    server = gh_module.start("--database", gh_module.db("gateway.sqlite"), "--gateway-port", str(port), "--upstream", upstream,
                             env={"GATEHOUSE_BOOTSTRAP_ADMIN_KEY": admin_key})
    app = server.post("/admin/v1/apps", admin_key, json={
        "name": "Shop", "scopes": ["orders:read"], "allowedMethods": ["GET", "POST"], "resources": ["/v1/orders/**", "/v1/slow"],
    }).json()
    key = server.post("/admin/v1/apikeys", admin_key, json={"name": "shop key", "application": app["id"]}).json()["key"]
    return {"url": f"http://127.0.0.1:{port}", "server": server, "app": app, "key": key}


def test_an_allowed_request_reaches_the_upstream_with_identity_headers(gateway):
    answer = requests.get(gateway["url"] + "/v1/orders/7?expand=items", headers={"X-API-Key": gateway["key"]}, timeout=10)
    assert answer.status_code == 200, answer.text
    assert answer.headers["X-Upstream"] == "yes"
    seen = answer.json()
    assert seen["path"] == "/v1/orders/7?expand=items"
    assert seen["headers"]["x-gatehouse-client"] == gateway["app"]["clientId"]
    assert seen["headers"]["x-gatehouse-org"] == gateway["app"]["organisation"]
    assert seen["headers"]["x-gatehouse-scope"] == "orders:read"


def test_incoming_identity_headers_are_replaced(gateway):
    answer = requests.get(gateway["url"] + "/v1/orders/7", timeout=10,
                          headers={"X-API-Key": gateway["key"], "X-Gatehouse-Subject": "forged", "X-Gatehouse-Org": "forged"})
    seen = answer.json()["headers"]
    assert seen["x-gatehouse-subject"] != "forged" and seen["x-gatehouse-org"] != "forged"


def test_hop_by_hop_headers_stop_at_the_gateway(gateway):
    """RFC 9110 §7.6.1: the hop-by-hop fields, and every field `Connection` names, are not forwarded."""
    answer = requests.get(gateway["url"] + "/v1/orders/7", timeout=10, headers={
        "X-API-Key": gateway["key"], "Connection": "keep-alive, X-Private-Hop", "X-Private-Hop": "1",
        "Keep-Alive": "timeout=5", "X-End-To-End": "2",
    })
    assert answer.status_code == 200, answer.text
    seen = answer.json()["headers"]
    assert "x-private-hop" not in seen and "keep-alive" not in seen
    assert seen["x-end-to-end"] == "2"


def send_raw(gateway, method: str, target: str, headers: dict[str, str]) -> tuple[int, dict]:
    """One request with the target sent byte for byte (requests/urllib3 would resolve dot segments)."""
    connection = http.client.HTTPConnection("127.0.0.1", int(gateway["url"].rsplit(":", 1)[1]), timeout=10)
    try:
        connection.putrequest(method, target, skip_host=False, skip_accept_encoding=True)
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        connection.close()


@pytest.mark.parametrize("target, forwarded", [
    ("/v1/orders/7?x=/../admin", "/v1/orders/7?x=/../admin"),
    ("/v1/%6Frders/%7e7", "/v1/orders/~7"),  # unreserved triplets decoded: the path as judged
    ("/v1/orders/caf%c3%a9", "/v1/orders/caf%C3%A9"),
    ("/v1/orders/", "/v1/orders/"),  # a trailing slash is literal
    ("/v1/admin//../orders", None),  # issue 14: /v1/admin/orders to a WHATWG upstream
    ("//v1/orders/7", None),
    ("/v1/orders//7", None),
    ("/v1/orders/./7", None),
    ("/v1/orders/a/%2e%2e/b", None),
    ("/v1/orders/a/%2E%2E/b", None),
    ("/v1/orders/%252e%252e/admin", None),
    ("/v1/orders%2fadmin", None),
    ("/v1/orders%5cadmin", None),
    ("/v1/orders;x/7", None),
    ("/v1/orders/..;/admin", None),
    ("/v1/orders/%C0%AE%C0%AE/admin", None),
    ("/v1/orders/%00", None),
])
def test_the_gateway_refuses_paths_an_upstream_could_read_another_way(gateway, target, forwarded):
    status, seen = send_raw(gateway, "GET", target, {"X-API-Key": gateway["key"]})
    if forwarded is None:
        assert status in (400, 403), (status, seen)
        assert "path" not in seen, "a refused request reached the upstream"
        if status == 403:
            assert seen["error"] == "resource_not_allowed"
    else:
        assert status == 200, (status, seen)
        assert seen["path"] == forwarded


def test_identity_headers_are_stripped_in_every_spelling_an_upstream_may_read(gateway):
    status, seen = send_raw(gateway, "GET", "/v1/orders/7", {
        "X-API-Key": gateway["key"], "X_Gatehouse_Customer": "victim", "x-gatehouse_subject": "forged",
        "X_GATEHOUSE_ORG": "forged", "X-GATEHOUSE-EXTRA": "forged",
    })
    assert status == 200, seen
    headers = seen["headers"]
    assert not [name for name in headers if name.replace("_", "-").startswith("x-gatehouse-customer")]
    assert "x_gatehouse_org" not in headers and "x-gatehouse_subject" not in headers and "x-gatehouse-extra" not in headers
    assert headers["x-gatehouse-subject"] == gateway["app"]["clientId"]


def test_headers_that_name_another_path_or_client_never_reach_the_upstream(gateway):
    """Issue 14 review: `X-Original-URL: /v1/admin` reached the upstream of a request judged as
    `/v1/orders/7`; Zend/Laminas, older Symfony and IIS route by it."""
    forged = {
        "X-Original-URL": "/v1/admin", "X_Rewrite_URL": "/v1/admin", "X-Forwarded-Uri": "/v1/admin",
        "X-Original-URI": "/v1/admin", "X-Forwarded-Prefix": "/v1/admin", "X-Real-IP": "10.1.1.1",
        "Forwarded": "for=10.2.2.2", "True-Client-IP": "10.3.3.3", "X-Forwarded-Method": "DELETE",
    }
    status, seen = send_raw(gateway, "GET", "/v1/orders/7", {"X-API-Key": gateway["key"], **forged})
    assert status == 200, seen
    headers = {name.replace("_", "-").lower(): value for name, value in seen["headers"].items()}
    for name in forged:
        assert name.replace("_", "-").lower() not in headers, f"{name} reached the upstream: {headers}"


@pytest.mark.parametrize("headers, target, status", [
    ({"X-HTTP-Method-Override": "DELETE"}, "/v1/orders/7", 403),
    ({"X_HTTP_Method_Override": "DELETE"}, "/v1/orders/7", 403),
    ({"X-HTTP-Method": "PUT"}, "/v1/orders/7", 403),
    ({"X-Method-Override": "DELETE"}, "/v1/orders/7", 403),
    ({}, "/v1/orders/7?_method=DELETE", 403),
    ({"X-HTTP-Method-Override": "POST", "X-Method-Override": "GET"}, "/v1/orders/7", 403),
    ({"X-HTTP-Method-Override": "POST"}, "/v1/orders/7", 200),
])
def test_method_overrides_are_judged_on_the_gateway(gateway, headers, target, status):
    got, seen = send_raw(gateway, "GET", target, {"X-API-Key": gateway["key"], **headers})
    assert got == status, (got, seen)
    if status == 403:
        assert seen["error"] == "method_not_allowed" and "path" not in seen


def test_a_large_body_is_streamed_to_the_upstream(gateway):
    body = b"x" * (3 * 1024 * 1024)
    answer = requests.post(gateway["url"] + "/v1/orders", data=body, headers={"X-API-Key": gateway["key"]}, timeout=30)
    assert answer.status_code == 200, answer.text
    assert answer.json()["bodyLength"] == len(body)


def test_a_chunked_body_is_streamed_to_the_upstream(gateway):
    def chunks():
        for _ in range(10):
            yield b"y" * 1000
    answer = requests.post(gateway["url"] + "/v1/orders", data=chunks(), headers={"X-API-Key": gateway["key"]}, timeout=30)
    assert answer.status_code == 200, answer.text
    assert answer.json()["bodyLength"] == 10_000


@pytest.mark.parametrize("headers, path, method, status, error", [
    ({}, "/v1/orders/1", "GET", 401, "invalid_token"),
    ({"X-API-Key": "ghak_not_a_key"}, "/v1/orders/1", "GET", 401, "invalid_token"),
    ("key", "/v1/admin", "GET", 403, "resource_not_allowed"),
    ("key", "/v1/orders/1", "DELETE", 403, "method_not_allowed"),
])
def test_refused_requests_get_the_checks_answer_and_never_reach_the_upstream(gateway, headers, path, method, status, error):
    if headers == "key":
        headers = {"X-API-Key": gateway["key"]}
    answer = requests.request(method, gateway["url"] + path, headers=headers, timeout=10)
    assert answer.status_code == status, answer.text
    assert answer.json()["error"] == error
    assert "X-Upstream" not in answer.headers
    if status == 401:
        assert answer.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'


def test_an_unreachable_upstream_is_a_502_with_a_json_body(gh, admin_key):
    dead = free_port()  # nothing listens there
    port = free_port()
    server = gh.start("--database", gh.db(), "--gateway-port", str(port), "--upstream", f"http://127.0.0.1:{dead}",
                      env={"GATEHOUSE_BOOTSTRAP_ADMIN_KEY": admin_key})
    app = server.post("/admin/v1/apps", admin_key, json={"name": "Shop"}).json()
    key = server.post("/admin/v1/apikeys", admin_key, json={"name": "k", "application": app["id"]}).json()["key"]
    answer = requests.get(f"http://127.0.0.1:{port}/anything", headers={"X-API-Key": key}, timeout=10)
    assert answer.status_code == 502
    assert answer.json()["error"] == "upstream_unavailable"


def test_gateway_requests_are_logged_without_secrets(gateway):
    requests.get(gateway["url"] + "/v1/orders/9", headers={"X-API-Key": gateway["key"]}, timeout=10)
    time.sleep(0.2)
    output = gateway["server"].output
    assert "gateway GET /v1/orders/9 200" in output
    assert gateway["key"] not in output


def test_gateway_options_are_validated(gh):
    for args, mention in [
        (["--gateway-port", "9999"], "upstream"),
        (["--gateway-port", "9999", "--upstream", "ftp://x"], "upstream"),
        (["--gateway-port", "0", "--upstream", "http://127.0.0.1:1"], "gateway-port"),
    ]:
        result = gh.run("serve", "--database", gh.db("v.sqlite"), *args, timeout=30)
        assert result.returncode != 0
        assert mention in result.stderr


def test_a_slow_upstream_is_a_504_with_a_json_body(gh, admin_key, upstream):
    port = free_port()
    server = gh.start("--database", gh.db(), "--gateway-port", str(port), "--upstream", upstream, "--upstream-timeout", "1",
                      env={"GATEHOUSE_BOOTSTRAP_ADMIN_KEY": admin_key})
    app = server.post("/admin/v1/apps", admin_key, json={"name": "Shop"}).json()
    key = server.post("/admin/v1/apikeys", admin_key, json={"name": "k", "application": app["id"]}).json()["key"]
    started = time.monotonic()
    answer = requests.get(f"http://127.0.0.1:{port}/v1/slow", headers={"X-API-Key": key}, timeout=10)
    assert answer.status_code == 504, answer.text
    assert answer.json()["error"] == "upstream_timeout"
    assert time.monotonic() - started < 2.9


@pytest.fixture(scope="module")
def any_method_key(gateway, admin_key):
    """An API key of an app without a method list: every method passes the policy."""
    server = gateway["server"]
    app = server.post("/admin/v1/apps", admin_key, json={"name": "Any method", "resources": ["/v1/**"]}).json()
    return server.post("/admin/v1/apikeys", admin_key, json={"name": "any", "application": app["id"]}).json()["key"]


def test_a_trace_without_content_reaches_the_upstream_and_one_with_content_is_a_400(gateway, any_method_key):
    """Found by the issue-15 review: every method but GET/HEAD went upstream with a (possibly empty)
    body stream, which the HTTP client refuses for TRACE: a 502 on client input."""
    status, seen = send_raw(gateway, "TRACE", "/v1/x", {"X-API-Key": any_method_key})
    assert status == 200, seen
    assert seen["method"] == "TRACE" and seen["bodyLength"] == 0
    status, seen = send_raw(gateway, "DELETE", "/v1/x", {"X-API-Key": any_method_key})
    assert status == 200 and seen["method"] == "DELETE", seen
    connection = http.client.HTTPConnection("127.0.0.1", int(gateway["url"].rsplit(":", 1)[1]), timeout=10)
    try:
        connection.request("TRACE", "/v1/x", body=b"hello", headers={"X-API-Key": any_method_key})
        response = connection.getresponse()
        assert response.status == 400
        assert json.loads(response.read())["error"] == "invalid_request"
    finally:
        connection.close()
    # A length past Int.max is content too (the second review: it read as none and went upstream).
    with socket.create_connection(("127.0.0.1", int(gateway["url"].rsplit(":", 1)[1])), timeout=10) as raw:
        raw.sendall(f"TRACE /v1/x HTTP/1.1\r\nHost: x\r\nX-API-Key: {any_method_key}\r\n"
                    "Content-Length: 9223372036854775808\r\n\r\nabc".encode())
        answer = raw.recv(65536).decode(errors="replace")
        assert answer.startswith("HTTP/1.1 400"), answer


def test_connect_is_refused_with_405_and_never_reaches_the_upstream(gateway, any_method_key):
    for headers in ({"X-API-Key": any_method_key}, {}):
        with socket.create_connection(("127.0.0.1", int(gateway["url"].rsplit(":", 1)[1])), timeout=10) as raw:
            key = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
            raw.sendall(f"CONNECT /v1/x HTTP/1.1\r\nHost: x\r\n{key}Content-Length: 0\r\n\r\n".encode())
            answer = raw.recv(65536).decode(errors="replace")
            assert answer.startswith("HTTP/1.1 405"), answer
            assert "allow:" in answer.lower() and "upstream" not in answer.lower(), answer
