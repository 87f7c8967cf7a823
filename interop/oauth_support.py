"""Helpers for the OAuth end-to-end tests (SPEC §3): a running server with its admin key, the
admin calls that set up apps, users and organisations, the OAuth endpoints, and strict checks of
access tokens with PyJWT against the server's published JWKS."""

from __future__ import annotations

import base64
import json
import subprocess
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import jwt
import requests

from conftest import Gatehouse, Server

ALGORITHMS = ["ES256", "RS256", "EdDSA"]
# RFC 9068 §2.2 plus what SPEC §3 adds; unit and customer only where they apply.
ACCESS_TOKEN_CLAIMS = ("iss", "sub", "aud", "exp", "iat", "nbf", "jti", "client_id", "scope", "org")
ALL_GRANTS = ["client_credentials", "password", "refresh_token"]
INACTIVE = {"active": False}


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


@dataclass
class App:
    id: str
    client_id: str
    secret: str
    organisation: str
    scopes: list[str]
    raw: dict = field(repr=False)

    @property
    def basic(self) -> tuple[str, str]:
        return (self.client_id, self.secret)


@dataclass
class User:
    id: str
    username: str
    password: str
    organisation: str


class OAuthServer:
    """A running `gatehouse serve` with a known admin key."""

    def __init__(self, server: Server, admin_key: str):
        self.server = server
        self.admin_key = admin_key
        self.base = server.base
        meta = server.get("/.well-known/oauth-authorization-server")
        assert meta.status_code == 200, meta.text
        self.metadata = meta.json()
        self.issuer = self.metadata["issuer"]
        self.token_url = self.base + "/oauth/token"
        self.introspect_url = self.base + "/oauth/introspect"
        self.revoke_url = self.base + "/oauth/revoke"
        # The discovery document's jwks_uri when the issuer is this server's own address; a
        # configured issuer (several instances behind one name) need not resolve here.
        self.jwks_uri = self.metadata["jwks_uri"] if self.issuer == self.base else self.base + "/oauth/jwks"
        self._jwks = jwks_client(self.jwks_uri)

    # --- admin ---------------------------------------------------------------------------------
    def admin(self, method: str, path: str, body: dict | None = None, expect: tuple[int, ...] = (200, 201)) -> dict:
        r = self.server.request(method, path, self.admin_key, json=body)
        assert r.status_code in expect, f"{method} {path}: {r.status_code} {r.text}"
        return r.json() if r.content else {}

    def create_org(self, name: str | None = None) -> str:
        return self.admin("POST", "/admin/v1/orgs", {"name": name or unique("org")})["id"]

    def create_app(self, grant_types=("client_credentials",), scopes=("read", "write"), organisation: str | None = None,
                   ttl: int | None = None, name: str | None = None) -> App:
        body: dict = {"name": name or unique("app"), "grantTypes": list(grant_types), "scopes": list(scopes)}
        if organisation is not None:
            body["organisation"] = organisation
        if ttl is not None:
            body["accessTokenTTL"] = ttl
        made = self.admin("POST", "/admin/v1/apps", body)
        assert made["clientSecret"].startswith("ghcs_"), made
        return App(made["id"], made["clientId"], made["clientSecret"], made["organisation"], list(scopes), made)

    def create_user(self, organisation: str | None = None, api_user: bool = False, username: str | None = None) -> User:
        username = username or unique("user")
        password = "pw-" + uuid.uuid4().hex
        body: dict = {"username": username, "password": password}
        if organisation is not None:
            body["organisation"] = organisation
        if api_user:
            body["apiUser"] = True
        made = self.admin("POST", "/admin/v1/users", body)
        return User(made["id"], username, password, made["organisation"])

    def regenerate_secret(self, app: App) -> str:
        return self.admin("POST", f"/admin/v1/apps/{app.id}/secret")["clientSecret"]

    def set_disabled(self, app: App, disabled: bool) -> None:
        self.admin("PATCH", f"/admin/v1/apps/{app.id}", {"disabled": disabled}, expect=(200,))

    def rotate_keys(self) -> str:
        return self.admin("POST", "/admin/v1/keys/rotate")["kid"]

    def active_kid(self) -> str:
        keys = self.admin("GET", "/admin/v1/keys", expect=(200,))["items"]
        (active,) = [k["kid"] for k in keys if k["state"] == "active"]
        return active

    # --- OAuth endpoints -------------------------------------------------------------------------
    def _post(self, url: str, data: dict, client: App | tuple[str, str] | None, method: str, headers: dict | None = None) -> requests.Response:
        data = dict(data)
        auth = None
        if client is not None:
            cid, secret = client.basic if isinstance(client, App) else client
            if method == "basic":
                auth = (cid, secret)
            else:
                data.update(client_id=cid, client_secret=secret)
        r = requests.post(url, data=data, auth=auth, headers=headers, timeout=30)
        assert r.headers.get("Cache-Control") == "no-store", f"{url}: Cache-Control {r.headers.get('Cache-Control')!r}"
        return r

    def token(self, client, method: str = "basic", **form) -> requests.Response:
        return self._post(self.token_url, form, client, method)

    def token_ok(self, client, method: str = "basic", **form) -> dict:
        r = self.token(client, method, **form)
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["token_type"] == "Bearer", body
        return body

    def client_credentials(self, client, method: str = "basic", **form) -> dict:
        return self.token_ok(client, method, grant_type="client_credentials", **form)

    def password(self, app: App, user: User, **form) -> dict:
        return self.token_ok(app, grant_type="password", username=user.username, password=user.password, **form)

    def refresh(self, app: App, refresh_token: str, **form) -> requests.Response:
        return self.token(app, grant_type="refresh_token", refresh_token=refresh_token, **form)

    def introspect(self, token: str, client=None, method: str = "basic") -> dict:
        """RFC 7662 as a client (``client``) or with the admin key (``client`` None)."""
        if client is None:
            r = self._post(self.introspect_url, {"token": token}, None, method,
                           headers={"Authorization": f"Bearer {self.admin_key}"})
        else:
            r = self._post(self.introspect_url, {"token": token}, client, method)
        assert r.status_code == 200, r.text
        return r.json()

    def revoke(self, client, token: str, method: str = "basic", **form) -> requests.Response:
        r = self._post(self.revoke_url, {"token": token, **form}, client, method)
        assert r.status_code == 200, r.text
        return r

    # --- access tokens ---------------------------------------------------------------------------
    def verify(self, token: str, alg: str | None = None) -> tuple[dict, dict]:
        """Checks ``token`` as a resource server would (RFC 9068 §4) with PyJWT and this server's
        JWKS; returns (header, claims)."""
        header = jwt.get_unverified_header(token)
        assert header.get("typ") == "at+jwt", header
        assert header.get("kid"), header
        if alg is not None:
            assert header["alg"] == alg, header
        signing_key = self._jwks.get_signing_key(header["kid"])
        assert signing_key.algorithm_name == header["alg"], (signing_key.algorithm_name, header)
        claims = jwt.decode(
            token, signing_key, algorithms=ALGORITHMS, audience=self.issuer, issuer=self.issuer,
            options={"require": ["exp", "iat", "nbf", "iss", "aud", "sub", "jti"]},
        )
        for name in ACCESS_TOKEN_CLAIMS:
            assert name in claims, f"claim {name!r} missing: {claims}"
        for name in ("exp", "iat", "nbf"):
            assert type(claims[name]) is int, f"{name} is not an integer NumericDate: {claims[name]!r}"
        assert claims["aud"] == self.issuer
        assert claims["nbf"] <= claims["iat"] < claims["exp"]
        return header, claims


def jwks_client(uri: str) -> jwt.PyJWKClient:
    """A PyJWKClient that refetches the set at once for an unknown kid. Recent PyJWT waits 30 s
    (``cooldown_duration``) between forced refetches by default, so a client that fetched the set
    just before a rotation would not find the new key for up to half a minute."""
    try:
        return jwt.PyJWKClient(uri, cooldown_duration=0)
    except TypeError:  # older PyJWT: no cooldown at all
        return jwt.PyJWKClient(uri)


def start_oauth(gh: Gatehouse, admin_key: str, *args: str, db: str | None = None, env: dict | None = None) -> OAuthServer:
    """`gatehouse serve` on its own SQLite file (unless ``db`` is given) with ``admin_key``."""
    database = db or gh.db(unique("oauth") + ".sqlite")
    server = gh.start("--database", database, *args, env={"GATEHOUSE_BOOTSTRAP_ADMIN_KEY": admin_key, **(env or {})})
    return OAuthServer(server, admin_key)


def b64url_json(part: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def curl(url: str, *args: str, workdir: Path) -> tuple[int, dict[str, str], str]:
    """`curl -s -w '%{http_code}'` with the headers dumped aside: (status, headers, body)."""
    headers_file = workdir / f"curl-{uuid.uuid4().hex}.headers"
    result = subprocess.run(
        ["curl", "-s", "-S", "-D", str(headers_file), "-w", "%{http_code}", *args, url],
        capture_output=True, text=True, timeout=30,
    )
    assert result.returncode == 0, result.stderr
    status, body = int(result.stdout[-3:]), result.stdout[:-3]
    headers: dict[str, str] = {}
    for line in headers_file.read_text().splitlines()[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    headers_file.unlink()
    return status, headers, body
