"""The token endpoint's failures, driven with curl: exact RFC 6749 §5.2 error codes and statuses,
`WWW-Authenticate` for failed Basic authentication, `Cache-Control: no-store` on every answer
(SPEC §3), plus API users authenticating as clients (SPEC §1)."""

from __future__ import annotations

import base64
import json
from urllib.parse import quote_plus

import pytest

from oauth_support import ALL_GRANTS, curl, start_oauth


@pytest.fixture(scope="module")
def srv(gh_module, admin_key):
    return start_oauth(gh_module, admin_key)


@pytest.fixture(scope="module")
def full(srv):
    return srv.create_app(ALL_GRANTS, scopes=["read", "write"])


@pytest.fixture(scope="module")
def cc_only(srv):
    return srv.create_app(["client_credentials"], scopes=["read"])


@pytest.fixture(scope="module")
def alice(srv):
    return srv.create_user()


@pytest.fixture(scope="module")
def org_b(srv):
    return srv.create_org()


@pytest.fixture(scope="module")
def bob(srv, org_b):
    """A user of organisation B."""
    return srv.create_user(organisation=org_b)


@pytest.fixture(scope="module")
def api_user(srv):
    return srv.create_user(api_user=True)


@pytest.fixture
def token(srv, tmp_path):
    """POSTs to /oauth/token with curl; every answer must carry `Cache-Control: no-store`."""

    def post(*args: str) -> tuple[int, dict[str, str], dict]:
        status, headers, body = curl(srv.token_url, "-X", "POST", *args, workdir=tmp_path)
        assert headers.get("cache-control") == "no-store", f"{status}: Cache-Control {headers.get('cache-control')!r}"
        assert headers.get("content-type", "").startswith("application/json"), headers
        return status, headers, json.loads(body)

    return post


def basic(app) -> list[str]:
    return ["-u", f"{app.client_id}:{app.secret}"]


def post_auth(app) -> list[str]:
    return ["--data-urlencode", f"client_id={app.client_id}", "--data-urlencode", f"client_secret={app.secret}"]


def assert_error(answer, status: int, error: str) -> dict:
    got_status, headers, body = answer
    assert (got_status, body.get("error")) == (status, error), body
    assert set(body) <= {"error", "error_description", "error_uri"}, body
    assert isinstance(body.get("error_description", ""), str)
    return headers


def assert_ok(answer) -> dict:
    status, _, body = answer
    assert status == 200, body
    assert body["token_type"] == "Bearer" and body["access_token"], body
    return body


# --- invalid_request ----------------------------------------------------------------------------


def test_missing_grant_type(token, full):
    assert_error(token(*basic(full), "-d", "scope=read"), 400, "invalid_request")
    assert_error(token(*basic(full), "-d", "grant_type="), 400, "invalid_request")
    assert_error(token(*basic(full), "-d", ""), 400, "invalid_request")


def test_missing_grant_parameters(token, full):
    assert_error(token(*basic(full), "-d", "grant_type=password", "-d", "password=x"), 400, "invalid_request")
    assert_error(token(*basic(full), "-d", "grant_type=password", "-d", "username=x"), 400, "invalid_request")
    assert_error(token(*basic(full), "-d", "grant_type=refresh_token"), 400, "invalid_request")


@pytest.mark.parametrize("body", [
    "grant_type=client_credentials&grant_type=client_credentials",
    "grant_type=client_credentials&scope=read&scope=read",
    "grant_type=client_credentials&scope=read&scope=",
])
def test_duplicated_parameter(token, full, body):
    assert_error(token(*basic(full), "-d", body), 400, "invalid_request")


def test_duplicated_client_id_in_body(token, full):
    body = f"grant_type=client_credentials&client_id={full.client_id}&client_id={full.client_id}&client_secret={full.secret}"
    assert_error(token("-d", body), 400, "invalid_request")


def test_basic_and_secret_in_body(token, full):
    assert_error(token(*basic(full), "-d", "grant_type=client_credentials", *post_auth(full)), 400, "invalid_request")
    assert_error(token(*basic(full), "-d", "grant_type=client_credentials", "-d", f"client_secret={full.secret}"),
                 400, "invalid_request")


def test_basic_user_differs_from_body_client_id(token, full, cc_only):
    assert_error(token(*basic(full), "-d", "grant_type=client_credentials", "-d", f"client_id={cc_only.client_id}"),
                 400, "invalid_request")
    # The same client_id in both places is fine (RFC 6749 §3.2.1 allows client_id in the body).
    assert_ok(token(*basic(full), "-d", "grant_type=client_credentials", "-d", f"client_id={full.client_id}"))


@pytest.mark.parametrize("content_type, body", [
    ("application/json", '{"grant_type": "client_credentials"}'),
    ("application/json", "grant_type=client_credentials"),
    ("text/plain", "grant_type=client_credentials"),
    ("multipart/form-data; boundary=x", "grant_type=client_credentials"),
    ("", "grant_type=client_credentials"),  # no Content-Type at all
])
def test_wrong_content_type(token, full, content_type, body):
    assert_error(token(*basic(full), "-H", f"Content-Type:{' ' + content_type if content_type else ''}", "--data-binary", body),
                 400, "invalid_request")


def test_form_content_type_with_charset_is_accepted(token, full):
    assert_ok(token(*basic(full), "-H", "Content-Type: application/x-www-form-urlencoded; charset=UTF-8",
                    "-d", "grant_type=client_credentials"))


@pytest.mark.parametrize("body", ["grant_type=client_credentials&scope=%zz", "grant_type=client%"])
def test_bad_percent_encoding(token, full, body):
    assert_error(token(*basic(full), "--data-binary", body), 400, "invalid_request")


def test_body_not_utf8(token, full, tmp_path):
    raw = tmp_path / "body"
    raw.write_bytes(b"grant_type=client_credentials&scope=\xff\xfe")
    assert_error(token(*basic(full), "--data-binary", f"@{raw}"), 400, "invalid_request")


def test_oversized_body(token, full, tmp_path):
    raw = tmp_path / "big"
    raw.write_bytes(b"grant_type=client_credentials&scope=" + b"a" * (128 * 1024))  # the limit is 64 KiB
    assert_error(token(*basic(full), "--data-binary", f"@{raw}"), 400, "invalid_request")


# --- unsupported_grant_type / unauthorized_client / invalid_scope ---------------------------------


@pytest.mark.parametrize("grant", ["urn:example:unknown", "implicit", "authorization_code", "CLIENT_CREDENTIALS"])
def test_unknown_grant(token, full, grant):
    assert_error(token(*basic(full), "--data-urlencode", f"grant_type={grant}"), 400, "unsupported_grant_type")


def test_grant_not_allowed_for_the_app(token, cc_only, alice):
    answer = token(*basic(cc_only), "-d", "grant_type=password", "--data-urlencode", f"username={alice.username}",
                   "--data-urlencode", f"password={alice.password}")
    assert_error(answer, 400, "unauthorized_client")
    assert_error(token(*basic(cc_only), "-d", "grant_type=refresh_token", "-d", "refresh_token=ghrt_x"),
                 400, "unauthorized_client")
    assert_ok(token(*basic(cc_only), "-d", "grant_type=client_credentials"))


def test_scope_outside_the_app(token, full, cc_only, alice):
    assert_error(token(*basic(cc_only), "-d", "grant_type=client_credentials", "-d", "scope=write"), 400, "invalid_scope")
    assert_error(token(*basic(cc_only), "-d", "grant_type=client_credentials", "--data-urlencode", "scope=read admin"),
                 400, "invalid_scope")
    answer = token(*basic(full), "-d", "grant_type=password", "--data-urlencode", f"username={alice.username}",
                   "--data-urlencode", f"password={alice.password}", "-d", "scope=admin")
    assert_error(answer, 400, "invalid_scope")


# --- invalid_client -----------------------------------------------------------------------------


def test_wrong_secret_via_basic(token, full):
    wrong = full.secret[:-4] + ("AAAA" if not full.secret.endswith("AAAA") else "BBBB")
    for credentials in (f"{full.client_id}:{wrong}", f"{full.client_id}:ghcs_short", f"{full.client_id}:",
                        f"unknown-client:{full.secret}"):
        headers = assert_error(token("-u", credentials, "-d", "grant_type=client_credentials"), 401, "invalid_client")
        assert headers.get("www-authenticate", "").lower().startswith("basic"), (credentials, headers)


@pytest.mark.parametrize("value", ["Basic !!!notbase64", "Basic bm9jb2xvbg==", "basic Og=="], ids=["not-base64", "no-colon", "empty-id"])
def test_malformed_basic_header(token, value):
    headers = assert_error(token("-H", f"Authorization: {value}", "-d", "grant_type=client_credentials"), 401, "invalid_client")
    assert headers.get("www-authenticate", "").lower().startswith("basic"), headers


def test_bare_basic_scheme_gets_www_authenticate(token):
    headers = assert_error(token("-H", "Authorization: Basic", "-d", "grant_type=client_credentials"), 401, "invalid_client")
    assert headers.get("www-authenticate", "").lower().startswith("basic"), headers


def test_wrong_secret_via_post(token, full):
    answer = token("-d", "grant_type=client_credentials", "--data-urlencode", f"client_id={full.client_id}",
                   "--data-urlencode", f"client_secret={full.secret}x")
    assert_error(answer, 401, "invalid_client")
    answer = token("-d", "grant_type=client_credentials", "--data-urlencode", "client_id=nobody",
                   "--data-urlencode", f"client_secret={full.secret}")
    assert_error(answer, 401, "invalid_client")


def test_no_client_authentication(token, full):
    assert_error(token("-d", "grant_type=client_credentials"), 401, "invalid_client")
    assert_error(token("-d", f"grant_type=client_credentials&client_id={full.client_id}"), 401, "invalid_client")


def test_regenerated_secret(srv, token):
    app = srv.create_app(scopes=["read"])
    assert_ok(token(*basic(app), "-d", "grant_type=client_credentials"))
    new_secret = srv.regenerate_secret(app)
    assert new_secret != app.secret
    headers = assert_error(token(*basic(app), "-d", "grant_type=client_credentials"), 401, "invalid_client")
    assert "www-authenticate" in headers
    assert_error(token("-d", "grant_type=client_credentials", *post_auth(app)), 401, "invalid_client")
    app.secret = new_secret
    assert_ok(token(*basic(app), "-d", "grant_type=client_credentials"))
    assert_ok(token("-d", "grant_type=client_credentials", *post_auth(app)))


def test_disabled_app(srv, token):
    app = srv.create_app(scopes=["read"])
    srv.set_disabled(app, True)
    assert_error(token(*basic(app), "-d", "grant_type=client_credentials"), 401, "invalid_client")
    assert_error(token("-d", "grant_type=client_credentials", *post_auth(app)), 401, "invalid_client")
    srv.set_disabled(app, False)
    assert_ok(token(*basic(app), "-d", "grant_type=client_credentials"))


def test_disabled_app_cannot_refresh(srv, token, alice):
    app = srv.create_app(ALL_GRANTS, scopes=["read"])
    refresh_token = srv.password(app, alice)["refresh_token"]
    srv.set_disabled(app, True)
    assert_error(token(*basic(app), "-d", "grant_type=refresh_token", "-d", f"refresh_token={refresh_token}"),
                 401, "invalid_client")


# --- invalid_grant ------------------------------------------------------------------------------


def test_unknown_user_and_wrong_password(token, full, alice):
    descriptions = set()
    for username, password in ((alice.username, alice.password + "x"), ("nobody-" + alice.username, alice.password),
                               (alice.username, "")):
        answer = token(*basic(full), "-d", "grant_type=password", "--data-urlencode", f"username={username}",
                       "--data-urlencode", f"password={password}")
        if password == "":
            assert_error(answer, 400, "invalid_request")  # an empty parameter is a missing one
            continue
        assert_error(answer, 400, "invalid_grant")
        descriptions.add(answer[2].get("error_description"))
    assert len(descriptions) == 1, f"the answer must not tell an unknown user from a wrong password: {descriptions}"


def test_user_of_another_organisation(srv, token, full, bob, org_b):
    answer = token(*basic(full), "-d", "grant_type=password", "--data-urlencode", f"username={bob.username}",
                   "--data-urlencode", f"password={bob.password}")
    assert_error(answer, 400, "invalid_grant")
    # Through an app of bob's own organisation the same credentials work.
    app_b = srv.create_app(["password"], scopes=["read"], organisation=org_b)
    body = assert_ok(token(*basic(app_b), "-d", "grant_type=password", "--data-urlencode", f"username={bob.username}",
                           "--data-urlencode", f"password={bob.password}"))
    assert "refresh_token" not in body, "no refresh token without the refresh_token grant"
    _, claims = srv.verify(body["access_token"])
    assert claims["sub"] == bob.id and claims["org"] == org_b


def test_refresh_token_of_another_app(srv, token, full, alice):
    other = srv.create_app(ALL_GRANTS, scopes=["read", "write"])
    refresh_token = srv.password(full, alice)["refresh_token"]
    assert_error(token(*basic(other), "-d", "grant_type=refresh_token", "-d", f"refresh_token={refresh_token}"),
                 400, "invalid_grant")
    # ... and the failed attempt did not consume it.
    assert_ok(token(*basic(full), "-d", "grant_type=refresh_token", "-d", f"refresh_token={refresh_token}"))


@pytest.mark.parametrize("value", ["garbage", "ghrt_garbage", "ghcs_garbage"])
def test_malformed_refresh_token(token, full, value):
    assert_error(token(*basic(full), "-d", "grant_type=refresh_token", "--data-urlencode", f"refresh_token={value}"),
                 400, "invalid_grant")


# --- API users as clients (SPEC §1) ---------------------------------------------------------------


def test_api_user_client_credentials(srv, token, api_user):
    for auth in (["-u", f"{api_user.username}:{api_user.password}"],
                 ["--data-urlencode", f"client_id={api_user.username}", "--data-urlencode", f"client_secret={api_user.password}"]):
        body = assert_ok(token(*auth, "-d", "grant_type=client_credentials"))
        assert "refresh_token" not in body
        _, claims = srv.verify(body["access_token"])
        assert claims["sub"] == api_user.id
        assert claims["client_id"] == api_user.username
        assert claims["org"] == api_user.organisation
        answer = srv.introspect(body["access_token"])
        assert answer["active"] is True and answer["sub"] == api_user.id


def test_api_user_failures(token, api_user, alice):
    headers = assert_error(token("-u", f"{api_user.username}:{api_user.password}x", "-d", "grant_type=client_credentials"),
                           401, "invalid_client")
    assert "www-authenticate" in headers
    assert_error(token("-u", f"{api_user.username}:{api_user.password}", "-d", "grant_type=password",
                       "--data-urlencode", f"username={api_user.username}", "--data-urlencode", f"password={api_user.password}"),
                 400, "unauthorized_client")
    # A user without apiUser is no client.
    assert_error(token("-u", f"{alice.username}:{alice.password}", "-d", "grant_type=client_credentials"),
                 401, "invalid_client")


def test_api_user_with_special_characters(srv, token):
    """RFC 6749 §2.3.1: the Basic user and password are form-encoded before base64."""
    user = srv.create_user(api_user=True, username="svc+ops@example.com")
    srv.admin("PATCH", f"/admin/v1/users/{user.id}", {"password": "p%:+ &/x=y"}, expect=(200,))
    user.password = "p%:+ &/x=y"
    encoded = base64.b64encode(f"{quote_plus(user.username)}:{quote_plus(user.password)}".encode()).decode()
    body = assert_ok(token("-H", f"Authorization: Basic {encoded}", "-d", "grant_type=client_credentials"))
    assert srv.verify(body["access_token"])[1]["sub"] == user.id
    body = assert_ok(token("-d", "grant_type=client_credentials", "--data-urlencode", f"client_id={user.username}",
                           "--data-urlencode", f"client_secret={user.password}"))
    assert srv.verify(body["access_token"])[1]["client_id"] == user.username


def test_api_user_revokes_its_own_token(srv, api_user):
    body = srv.client_credentials((api_user.username, api_user.password))
    srv.revoke((api_user.username, api_user.password), body["access_token"])
    assert srv.introspect(body["access_token"]) == {"active": False}
