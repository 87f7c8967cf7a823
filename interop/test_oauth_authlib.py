"""OAuth 2.0 with real client libraries (SPEC §3): authlib's OAuth2Session at the token endpoint,
PyJWT verifying every access token against the published JWKS (RFC 9068, 7517), signing
algorithms and key rotation, introspection (RFC 7662) and revocation (RFC 7009)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from urllib.parse import parse_qs

import jwt
import pytest
import requests
from authlib.integrations.requests_client import OAuth2Session, OAuthError
from cryptography.hazmat.primitives.asymmetric import ec

from oauth_support import ALL_GRANTS, INACTIVE, b64url_json, start_oauth

SCOPES = ["read", "write", "admin"]


@pytest.fixture(scope="module")
def srv(gh_module, admin_key):
    return start_oauth(gh_module, admin_key)


@pytest.fixture(scope="module")
def app(srv):
    return srv.create_app(ALL_GRANTS, scopes=SCOPES)


@pytest.fixture(scope="module")
def user(srv):
    return srv.create_user()


@pytest.fixture(scope="module")
def org_b(srv):
    """A second organisation with its own app: its credentials must not see the default org's tokens."""
    org = srv.create_org()
    return srv.create_app(ALL_GRANTS, scopes=SCOPES, organisation=org)


@pytest.fixture(scope="module")
def foreign(gh_module, admin_key, srv):
    """Another server with its own database, but claiming the same issuer (only its keys differ)."""
    return start_oauth(gh_module, admin_key, "--issuer", srv.issuer)


def session(app, method="client_secret_basic", **kwargs) -> OAuth2Session:
    """An authlib session that records the requests it sends."""
    s = OAuth2Session(app.client_id, app.secret, token_endpoint_auth_method=method, **kwargs)
    s.sent = []
    s.hooks["response"].append(lambda r, *args, **kw: s.sent.append(r.request))
    return s


def sent_form(request) -> dict[str, list[str]]:
    body = request.body or ""
    return parse_qs(body.decode() if isinstance(body, bytes) else body)


# --- discovery and JWKS -------------------------------------------------------------------------


def test_discovery_documents(srv):
    documents = []
    for path in ("/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"):
        r = srv.server.get(path)
        assert r.status_code == 200, r.text
        assert r.headers["Content-Type"].startswith("application/json")
        documents.append(r.json())
    meta = documents[0]
    assert documents[1] == meta
    assert meta["issuer"] == srv.base
    for name, path in [("token_endpoint", "/oauth/token"), ("introspection_endpoint", "/oauth/introspect"),
                       ("revocation_endpoint", "/oauth/revoke"), ("jwks_uri", "/oauth/jwks")]:
        assert meta[name] == srv.base + path, (name, meta[name])
    assert set(ALL_GRANTS) <= set(meta["grant_types_supported"])
    assert {"client_secret_basic", "client_secret_post"} <= set(meta["token_endpoint_auth_methods_supported"])
    assert "ES256" in meta["access_token_signing_alg_values_supported"]

    jwks = requests.get(meta["jwks_uri"], timeout=10)
    assert jwks.status_code == 200
    keys = jwks.json()["keys"]
    assert keys and all(k.get("kid") and k.get("kty") and k.get("alg") for k in keys), keys
    for key in keys:
        leaked = {"d", "p", "q", "dp", "dq", "qi"} & key.keys()
        assert not leaked, f"private key material published: {leaked}"


def test_discovery_does_not_list_tenants_scopes(srv, app):
    # RFC 8414 §2 makes scopes_supported optional ("Servers MAY choose not to advertise some
    # supported scope values"); on this unauthenticated document it would reveal every
    # organisation's scope names, so Gatehouse leaves it out (docs/oauth.md).
    meta = srv.server.get("/.well-known/oauth-authorization-server").json()
    assert "scopes_supported" not in meta, sorted(meta)


# --- token endpoint through authlib -------------------------------------------------------------


@pytest.mark.parametrize("method", ["client_secret_basic", "client_secret_post"])
def test_client_credentials(srv, app, method):
    s = session(app, method)
    token = s.fetch_token(srv.token_url, grant_type="client_credentials")

    (request,) = s.sent
    form = sent_form(request)
    assert form["grant_type"] == ["client_credentials"]
    if method == "client_secret_basic":
        assert request.headers["Authorization"].startswith("Basic ")
        assert "client_secret" not in form
    else:
        assert "Authorization" not in request.headers
        assert form["client_secret"] == [app.secret] and form["client_id"] == [app.client_id]

    assert token["token_type"] == "Bearer"
    assert token["expires_in"] == 3600
    assert token["scope"] == "read write admin"
    assert "refresh_token" not in token, "client_credentials must not issue a refresh token"

    header, claims = srv.verify(token["access_token"], alg="ES256")
    assert claims["client_id"] == app.client_id
    assert claims["sub"] == app.client_id
    assert claims["org"] == app.organisation
    assert claims["scope"] == "read write admin"
    assert claims["exp"] - claims["iat"] == 3600
    assert abs(claims["iat"] - time.time()) < 60


@pytest.mark.parametrize("requested, granted", [
    ("write", ["write"]),
    ("admin read", ["admin", "read"]),
    ("read read", ["read"]),
])
def test_client_credentials_scope_subset(srv, app, requested, granted):
    s = session(app, scope=requested)
    token = s.fetch_token(srv.token_url, grant_type="client_credentials")
    assert sorted(token["scope"].split()) == sorted(granted)
    _, claims = srv.verify(token["access_token"])
    assert sorted(claims["scope"].split()) == sorted(granted)


def test_password_grant_refresh_rotation_and_reuse_detection(srv, app, user):
    s = session(app)
    first = s.fetch_token(srv.token_url, username=user.username, password=user.password)
    assert sent_form(s.sent[-1])["grant_type"] == ["password"]
    assert first["token_type"] == "Bearer" and first["expires_in"] == 3600
    assert first["refresh_token"].startswith("ghrt_"), first
    _, claims = srv.verify(first["access_token"])
    assert claims["sub"] == user.id
    assert claims["client_id"] == app.client_id
    assert claims["org"] == app.organisation == user.organisation
    assert claims["scope"] == "read write admin"

    second = s.refresh_token(srv.token_url)
    assert sent_form(s.sent[-1])["grant_type"] == ["refresh_token"]
    assert second["refresh_token"].startswith("ghrt_")
    assert second["refresh_token"] != first["refresh_token"], "the refresh token must rotate"
    _, refreshed = srv.verify(second["access_token"])
    assert refreshed["sub"] == user.id and refreshed["jti"] != claims["jti"]
    assert refreshed["scope"] == "read write admin"

    # Reuse of the consumed token: invalid_grant, and the whole family is revoked ...
    with pytest.raises(OAuthError) as reused:
        s.refresh_token(srv.token_url, refresh_token=first["refresh_token"])
    assert reused.value.error == "invalid_grant"
    # ... so the newest token of the family fails as well.
    with pytest.raises(OAuthError) as newest:
        s.refresh_token(srv.token_url, refresh_token=second["refresh_token"])
    assert newest.value.error == "invalid_grant"
    assert srv.introspect(second["refresh_token"]) == INACTIVE


def test_password_grant_scope_subset_and_refresh_scopes(srv, app, user):
    s = session(app, scope="read write")
    token = s.fetch_token(srv.token_url, username=user.username, password=user.password)
    assert sorted(token["scope"].split()) == ["read", "write"]
    _, claims = srv.verify(token["access_token"])
    assert sorted(claims["scope"].split()) == ["read", "write"]

    # A refresh may narrow the scope ...
    narrowed = s.refresh_token(srv.token_url, scope="read")
    assert narrowed["scope"] == "read"
    assert srv.verify(narrowed["access_token"])[1]["scope"] == "read"
    # ... but never widen it past what was originally granted (RFC 6749 §6), and such a refused
    # request does not burn the refresh token.
    current = narrowed["refresh_token"]
    with pytest.raises(OAuthError) as widened:
        s.refresh_token(srv.token_url, refresh_token=current, scope="admin")
    assert widened.value.error == "invalid_scope"
    # Without scope: the originally granted scope (RFC 6749 §6).
    again = srv.refresh(app, current)
    assert again.status_code == 200, again.text
    assert sorted(again.json()["scope"].split()) == ["read", "write"]


def test_concurrent_refresh_single_instance(srv, app, user):
    """SPEC §3: of concurrent uses of one refresh token exactly one succeeds; the others are reuse."""
    refresh_token = srv.password(app, user)["refresh_token"]
    barrier = threading.Barrier(10)
    answers: list = [None] * 10

    def use(i: int) -> None:
        barrier.wait()
        answers[i] = srv.refresh(app, refresh_token)

    threads = [threading.Thread(target=use, args=(i,)) for i in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(r.status_code for r in answers) == [200] + [400] * 9, [(r.status_code, r.text[:100]) for r in answers]
    assert {r.json()["error"] for r in answers if r.status_code == 400} == {"invalid_grant"}
    (winner,) = [r.json() for r in answers if r.status_code == 200]
    srv.verify(winner["access_token"])
    # The reuse revoked the family, the winner's new refresh token included (RFC 9700 §4.14.2).
    assert srv.introspect(winner["refresh_token"]) == INACTIVE


def test_refresh_after_app_scopes_reduced(srv, user):
    app = srv.create_app(ALL_GRANTS, scopes=SCOPES)
    refresh_token = srv.password(app, user)["refresh_token"]
    srv.admin("PATCH", f"/admin/v1/apps/{app.id}", {"scopes": ["read"]}, expect=(200,))
    assert srv.client_credentials(app)["scope"] == "read"
    r = srv.refresh(app, refresh_token)
    # Either refused (invalid_grant / invalid_scope) or narrowed to what the app still has.
    if r.status_code == 200:
        assert r.json()["scope"] == "read", r.json()
        assert srv.verify(r.json()["access_token"])[1]["scope"] == "read"
        # The new refresh token carries the narrowed scope too, and so does the next refresh.
        successor = r.json()["refresh_token"]
        assert srv.introspect(successor, app)["scope"] == "read"
        after = srv.refresh(app, successor)
        assert after.status_code == 200 and after.json()["scope"] == "read", after.text
    else:
        assert r.status_code == 400 and r.json()["error"] in ("invalid_grant", "invalid_scope"), r.text


def test_refresh_after_grant_removed_from_app(srv, user):
    app = srv.create_app(ALL_GRANTS, scopes=["read"])
    refresh_token = srv.password(app, user)["refresh_token"]
    srv.admin("PATCH", f"/admin/v1/apps/{app.id}", {"grantTypes": ["client_credentials", "password"]}, expect=(200,))
    r = srv.refresh(app, refresh_token)
    assert r.status_code == 400 and r.json()["error"] == "unauthorized_client", r.text


def test_disabled_user_cannot_sign_in_or_refresh(srv, app):
    user = srv.create_user()
    first = srv.password(app, user)
    srv.admin("PATCH", f"/admin/v1/users/{user.id}", {"disabled": True}, expect=(200,))
    r = srv.token(app, grant_type="password", username=user.username, password=user.password)
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant", r.text
    r = srv.refresh(app, first["refresh_token"])
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant", r.text
    assert srv.introspect(first["refresh_token"]) == INACTIVE


def test_credential_changes_end_refresh_tokens(srv):
    """docs/oauth.md: a new app secret, a deleted app or a new user password revokes the refresh tokens."""
    app = srv.create_app(ALL_GRANTS, scopes=["read"])
    user = srv.create_user()
    by_secret = srv.password(app, user)["refresh_token"]
    app.secret = srv.regenerate_secret(app)
    r = srv.refresh(app, by_secret)
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant", r.text

    by_password = srv.password(app, user)["refresh_token"]
    user.password = "pw-changed-" + user.password
    srv.admin("PATCH", f"/admin/v1/users/{user.id}", {"password": user.password}, expect=(200,))
    r = srv.refresh(app, by_password)
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant", r.text

    by_app = srv.password(app, user)["refresh_token"]
    srv.admin("DELETE", f"/admin/v1/apps/{app.id}", expect=(200, 204))
    assert srv.introspect(by_app) == INACTIVE


def test_access_token_lifetime_follows_the_app(srv):
    short = srv.create_app(scopes=["read"], ttl=600)
    token = session(short).fetch_token(srv.token_url, grant_type="client_credentials")
    assert token["expires_in"] == 600
    _, claims = srv.verify(token["access_token"])
    assert claims["exp"] - claims["iat"] == 600

    srv.admin("PATCH", f"/admin/v1/apps/{short.id}", {"accessTokenTTL": 120}, expect=(200,))
    token = srv.client_credentials(short)
    assert token["expires_in"] == 120
    _, claims = srv.verify(token["access_token"])
    assert claims["exp"] - claims["iat"] == 120


# --- signing algorithms and rotation ------------------------------------------------------------

JWK_SHAPE = {"ES256": ("EC", "P-256"), "RS256": ("RSA", None), "EdDSA": ("OKP", "Ed25519")}


@pytest.mark.parametrize("alg", ["ES256", "RS256", "EdDSA"])
def test_signing_algorithm(gh, admin_key, alg):
    server = start_oauth(gh, admin_key, "--signing-alg", alg)
    app = server.create_app(scopes=["read"])
    token = session(app).fetch_token(server.token_url, grant_type="client_credentials")
    header, claims = server.verify(token["access_token"], alg=alg)

    (published,) = requests.get(server.jwks_uri, timeout=10).json()["keys"]
    kty, crv = JWK_SHAPE[alg]
    assert published["kid"] == header["kid"]
    assert published["alg"] == alg and published["kty"] == kty
    if crv:
        assert published["crv"] == crv

    # A rotation keeps the configured algorithm.
    new_kid = server.rotate_keys()
    header, _ = server.verify(server.client_credentials(app)["access_token"], alg=alg)
    assert header["kid"] == new_kid
    assert server.introspect(token["access_token"], app)["active"] is True


def test_key_rotation_keeps_old_tokens_verifiable(gh, admin_key):
    server = start_oauth(gh, admin_key)
    app = server.create_app(scopes=["read"])
    token_a = server.client_credentials(app)["access_token"]
    header_a, _ = server.verify(token_a)  # fills the PyJWKClient cache with the old set
    assert header_a["kid"] == server.active_kid()

    rotated = server.rotate_keys()
    assert rotated != header_a["kid"]
    token_b = server.client_credentials(app)["access_token"]
    header_b, _ = server.verify(token_b)  # unknown kid: PyJWKClient refetches the JWKS
    assert header_b["kid"] == rotated

    kids = [k["kid"] for k in requests.get(server.jwks_uri, timeout=10).json()["keys"]]
    assert set(kids) == {header_a["kid"], rotated}
    assert kids[0] == rotated, "the active key is listed first"
    fresh = jwt.PyJWKClient(server.metadata["jwks_uri"])
    for token in (token_a, token_b):
        key = fresh.get_signing_key_from_jwt(token)
        jwt.decode(token, key, algorithms=["ES256", "RS256", "EdDSA"], audience=server.issuer, issuer=server.issuer)
        assert server.introspect(token, app)["active"] is True

    states = {k["kid"]: k for k in server.admin("GET", "/admin/v1/keys", expect=(200,))["items"]}
    assert states[rotated]["state"] == "active"
    assert states[header_a["kid"]]["state"] == "published"
    assert states[header_a["kid"]].get("retireAfter")

    # A rotation may pick another algorithm; both kinds verify side by side.
    rsa_kid = server.admin("POST", "/admin/v1/keys/rotate", {"algorithm": "RS256"})["kid"]
    header_c, _ = server.verify(server.client_credentials(app)["access_token"], alg="RS256")
    assert header_c["kid"] == rsa_kid
    server.verify(token_a, alg="ES256")


# --- introspection ------------------------------------------------------------------------------

INTROSPECTED_CLAIMS = ("scope", "client_id", "exp", "iat", "nbf", "sub", "aud", "iss", "jti", "org")


@pytest.mark.parametrize("caller", ["basic", "post", "admin"])
def test_introspect_fresh_access_token(srv, app, caller):
    token = srv.client_credentials(app, scope="read write")["access_token"]
    _, claims = srv.verify(token)
    answer = srv.introspect(token, None if caller == "admin" else app, method=caller)
    assert answer["active"] is True
    assert answer["token_type"] == "Bearer"
    for name in INTROSPECTED_CLAIMS:
        assert answer[name] == claims[name], (name, answer, claims)


def test_introspect_with_authlib(srv, app, user):
    s = session(app)
    token = s.fetch_token(srv.token_url, username=user.username, password=user.password)
    r = s.introspect_token(srv.introspect_url, token=token["access_token"])
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"
    assert r.json()["active"] is True and r.json()["sub"] == user.id
    r = s.introspect_token(srv.introspect_url, token=token["refresh_token"], token_type_hint="refresh_token")
    assert r.status_code == 200
    assert r.json()["active"] is True and r.json()["token_type"] == "refresh_token"


def test_introspect_refresh_token(srv, app, user, org_b):
    first = srv.password(app, user, scope="read")
    refresh_token = first["refresh_token"]
    for caller in (app, None):
        answer = srv.introspect(refresh_token, caller)
        assert answer["active"] is True, answer
        assert answer["token_type"] == "refresh_token"
        assert answer["client_id"] == app.client_id
        assert answer["sub"] == user.id
        assert answer["scope"] == "read"
        assert answer["org"] == app.organisation
        assert answer["iss"] == srv.issuer
        assert type(answer["exp"]) is int and answer["exp"] > time.time() + 86_400
        assert type(answer["iat"]) is int and abs(answer["iat"] - time.time()) < 60
    assert srv.introspect(refresh_token, org_b) == INACTIVE, "another organisation may not see it"

    second = srv.refresh(app, refresh_token)
    assert second.status_code == 200, second.text
    assert srv.introspect(refresh_token, app) == INACTIVE, "a consumed refresh token is inactive"
    assert srv.introspect(second.json()["refresh_token"], app)["active"] is True


def _inactive_for_everyone(srv, app, token):
    for caller, method in ((app, "basic"), (app, "post"), (None, "admin")):
        assert srv.introspect(token, caller, method) == INACTIVE, f"caller {method}"


def test_introspect_revoked_access_token(srv, app):
    token = srv.client_credentials(app)["access_token"]
    srv.revoke(app, token)
    _inactive_for_everyone(srv, app, token)


@pytest.mark.parametrize("garbage", [
    "garbage",
    "a.b.c",
    "eyJhbGciOiJub25lIn0.e30.",
    "ghrt_notarealrefreshtoken",
    "ghcs_notaclientsecret",
    "x" * 5000,
])
def test_introspect_garbage(srv, app, garbage):
    _inactive_for_everyone(srv, app, garbage)


def test_introspect_token_of_another_server(srv, app, foreign):
    foreign_app = foreign.create_app(scopes=["read"])
    token = foreign.client_credentials(foreign_app)["access_token"]
    _, claims = foreign.verify(token)
    assert claims["iss"] == srv.issuer and claims["aud"] == srv.issuer, "same issuer: only the key differs"
    _inactive_for_everyone(srv, app, token)
    with pytest.raises(jwt.PyJWKClientError):
        srv.verify(token)


def _forge(header: dict, claims: dict, sign) -> str:
    def enc(obj) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).rstrip(b"=").decode()
    signing_input = f"{enc(header)}.{enc(claims)}"
    return signing_input + "." + base64.urlsafe_b64encode(sign(signing_input.encode())).rstrip(b"=").decode()


def test_introspect_forged_tokens(srv, app):
    """Tokens that name this server's key but are not signed by it."""
    real = srv.client_credentials(app)["access_token"]
    header_part, claims_part, _ = real.split(".")
    header, claims = b64url_json(header_part), b64url_json(claims_part)

    other_key = ec.generate_private_key(ec.SECP256R1())
    foreign_signed = jwt.encode(claims, other_key, algorithm="ES256", headers={"kid": header["kid"], "typ": "at+jwt"})
    unsigned = _forge({**header, "alg": "none"}, claims, lambda _: b"")
    # The real signature over altered claims.
    tampered = _forge(header, {**claims, "scope": "read write admin superuser"}, lambda _: b"") + real.split(".")[2]
    public_jwk = next(k for k in requests.get(srv.jwks_uri, timeout=10).json()["keys"] if k["kid"] == header["kid"])
    hs256 = _forge({**header, "alg": "HS256"}, claims,
                   lambda data: hmac.new(json.dumps(public_jwk).encode(), data, hashlib.sha256).digest())
    wrong_typ = _forge({**header, "typ": "JWT"}, claims, lambda _: b"")

    for token in (foreign_signed, unsigned, tampered, hs256, wrong_typ):
        _inactive_for_everyone(srv, app, token)


def test_introspect_token_of_another_organisation(srv, app, org_b):
    token_a = srv.client_credentials(app)["access_token"]
    assert srv.introspect(token_a, org_b) == INACTIVE
    assert srv.introspect(token_a, org_b, method="post") == INACTIVE
    assert srv.introspect(token_a, app)["active"] is True
    assert srv.introspect(token_a)["active"] is True, "an admin sees every organisation"

    token_b = srv.client_credentials(org_b)["access_token"]
    assert srv.verify(token_b)[1]["org"] == org_b.organisation != app.organisation
    assert srv.introspect(token_b, app) == INACTIVE
    assert srv.introspect(token_b, org_b)["active"] is True


def test_introspect_requires_authentication(srv, app):
    token = srv.client_credentials(app)["access_token"]
    r = requests.post(srv.introspect_url, data={"token": token}, timeout=10)
    assert r.status_code == 401 and r.json()["error"] == "invalid_client"
    # A different last character (one secret in 62 already ends in "x").
    wrong = app.secret[:-1] + ("y" if app.secret.endswith("x") else "x")
    r = requests.post(srv.introspect_url, data={"token": token}, auth=(app.client_id, wrong), timeout=10)
    assert r.status_code == 401 and r.json()["error"] == "invalid_client"
    assert "WWW-Authenticate" in r.headers
    # An access token is no admin key.
    r = requests.post(srv.introspect_url, data={"token": token}, headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert r.status_code == 401 and r.json()["error"] == "invalid_client"
    assert "active" not in r.json()


# --- revocation ---------------------------------------------------------------------------------


def test_revoke_access_token_with_authlib(srv, app):
    s = session(app, "client_secret_post")
    token = s.fetch_token(srv.token_url, grant_type="client_credentials")["access_token"]
    r = s.revoke_token(srv.revoke_url, token=token, token_type_hint="access_token")
    assert r.status_code == 200, r.text
    assert r.headers["Cache-Control"] == "no-store"
    _inactive_for_everyone(srv, app, token)
    # Revoking again is fine.
    assert s.revoke_token(srv.revoke_url, token=token).status_code == 200


def test_revoke_leaves_other_clients_tokens_alone(srv, app):
    """RFC 7009 §2.1: the server checks the token was issued to the client asking."""
    other = srv.create_app(scopes=["read"])
    token = srv.client_credentials(app)["access_token"]
    srv.revoke(other, token)
    assert srv.introspect(token, app)["active"] is True


def test_revoke_refresh_token_kills_its_family(srv, app, user):
    # Revoking the current token.
    first = srv.password(app, user)
    srv.revoke(app, first["refresh_token"], token_type_hint="refresh_token")
    assert srv.introspect(first["refresh_token"]) == INACTIVE
    r = srv.refresh(app, first["refresh_token"])
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant", r.text

    # Revoking an already rotated token of the family revokes its successor too.
    start = srv.password(app, user)
    successor = srv.refresh(app, start["refresh_token"])
    assert successor.status_code == 200, successor.text
    successor_token = successor.json()["refresh_token"]
    assert srv.introspect(successor_token)["active"] is True
    srv.revoke(app, start["refresh_token"], method="post")
    assert srv.introspect(successor_token) == INACTIVE
    r = srv.refresh(app, successor_token)
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant", r.text


@pytest.mark.parametrize("token", ["unknown", "ghrt_unknown", "eyJhbGciOiJFUzI1NiJ9.e30.AAAA", "ghcs_x"])
def test_revoke_unknown_token_is_200(srv, app, token):
    for method in ("basic", "post"):
        srv.revoke(app, token, method=method)
    srv.revoke(app, token, token_type_hint="refresh_token")


def test_revoke_requires_client_authentication(srv, app):
    token = srv.client_credentials(app)["access_token"]
    r = requests.post(srv.revoke_url, data={"token": token}, timeout=10)
    assert r.status_code == 401 and r.json()["error"] == "invalid_client"
    r = requests.post(srv.revoke_url, data={"token": token}, auth=(app.client_id, "ghcs_wrong"), timeout=10)
    assert r.status_code == 401 and r.json()["error"] == "invalid_client"
    assert srv.introspect(token, app)["active"] is True
