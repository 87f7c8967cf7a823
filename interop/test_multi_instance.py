"""Two `gatehouse serve` processes on one PostgreSQL database behave as one server (SPEC §2):
tokens, revocations, secrets, signing keys and refresh-token rotation agree across instances.

Runs only when GATEHOUSE_TEST_POSTGRES_URL is set (CI sets it); locally:
    scripts/with-postgres python3 -m pytest interop/test_multi_instance.py -q
"""

from __future__ import annotations

import os
import threading
import time

import jwt
import pytest
import requests

from oauth_support import ALL_GRANTS, INACTIVE, start_oauth

PG_URL = os.environ.get("GATEHOUSE_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(not PG_URL, reason="GATEHOUSE_TEST_POSTGRES_URL is not set")

# Instances behind one name share the issuer; each default (http://HOST:PORT) would differ.
ISSUER = "http://gatehouse.test"
PROPAGATION = 1.5  # seconds another instance may take to follow a change


@pytest.fixture(scope="module")
def pair(gh_module, admin_key):
    a = start_oauth(gh_module, admin_key, "--issuer", ISSUER, db=PG_URL)
    b = start_oauth(gh_module, admin_key, "--issuer", ISSUER, db=PG_URL)
    assert a.server.port != b.server.port
    return a, b


@pytest.fixture(scope="module")
def app(pair):
    a, _ = pair
    return a.create_app(ALL_GRANTS, scopes=["read", "write"])


@pytest.fixture(scope="module")
def user(pair):
    a, _ = pair
    return a.create_user()


def poll(predicate, timeout: float = PROPAGATION, interval: float = 0.05):
    """The first truthy value of ``predicate()`` within ``timeout`` seconds, else the last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval)


def test_token_issued_by_a_is_active_on_b(pair, app):
    a, b = pair
    for issuer, verifier in ((a, b), (b, a)):
        token = issuer.client_credentials(app)["access_token"]
        _, claims = verifier.verify(token)  # verifier's own JWKS has the key
        for caller in (app, None):
            answer = verifier.introspect(token, caller)
            assert answer["active"] is True, answer
            assert answer["jti"] == claims["jti"] and answer["iss"] == ISSUER


def test_revocation_on_a_is_in_force_on_b(pair, app):
    a, b = pair
    token = a.client_credentials(app)["access_token"]
    assert b.introspect(token, app)["active"] is True
    a.revoke(app, token)
    assert a.introspect(token, app) == INACTIVE
    answer = poll(lambda: b.introspect(token, app) == INACTIVE)
    assert answer, "B still calls the token revoked on A active"
    assert b.introspect(token) == INACTIVE

    # And the other way round, for a refresh token.
    user_app = a.create_app(ALL_GRANTS, scopes=["read"])
    user = a.create_user()
    refresh_token = b.password(user_app, user)["refresh_token"]
    a.revoke(user_app, refresh_token)
    assert poll(lambda: b.introspect(refresh_token) == INACTIVE)
    r = b.refresh(user_app, refresh_token)
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant", r.text


def test_regenerated_secret_on_a_fails_on_b_within_a_second(pair):
    a, b = pair
    app = a.create_app(scopes=["read"])
    b.client_credentials(app)
    old = app.secret
    app.secret = a.regenerate_secret(app)
    # B caches the application it authenticated; A's change reaches it through PostgreSQL
    # NOTIFY, which arrives within milliseconds: allow it a second, measure that it was quick.
    started = time.monotonic()
    assert poll(lambda: b.token((app.client_id, old), grant_type="client_credentials").status_code == 401, timeout=1.0)
    assert time.monotonic() - started < 1.0
    r = b.token((app.client_id, old), grant_type="client_credentials")
    assert r.status_code == 401 and r.json()["error"] == "invalid_client", r.text
    r = b.token((app.client_id, old), "post", grant_type="client_credentials")
    assert r.status_code == 401 and r.json()["error"] == "invalid_client", r.text
    b.client_credentials(app)

    # Disabling on B stops the app on A as quickly, too.
    b.set_disabled(app, True)
    assert poll(lambda: a.token(app, grant_type="client_credentials").status_code == 401, timeout=1.0)
    r = a.token(app, grant_type="client_credentials")
    assert r.status_code == 401 and r.json()["error"] == "invalid_client", r.text


def test_key_rotation_on_a_reaches_b(pair, app):
    a, b = pair
    before = b.client_credentials(app)["access_token"]
    old_kid = b.verify(before)[0]["kid"]

    new_kid = a.rotate_keys()
    assert new_kid != old_kid
    from_a = a.client_credentials(app)["access_token"]
    assert a.verify(from_a)[0]["kid"] == new_kid
    # B meets the new kid before its periodic reload: it reloads for an unknown kid at once.
    assert b.introspect(from_a, app)["active"] is True

    started = time.monotonic()
    kid_on_b = poll(lambda: (lambda kid: kid if kid == new_kid else None)(
        jwt.get_unverified_header(b.client_credentials(app)["access_token"])["kid"]))
    assert kid_on_b == new_kid, f"B still signs with {old_kid} {PROPAGATION}s after the rotation on A"
    assert time.monotonic() - started <= PROPAGATION + 0.5

    from_b = b.client_credentials(app)["access_token"]
    for server in (a, b):
        published = {k["kid"] for k in server.server.get("/oauth/jwks").json()["keys"]}
        assert {old_kid, new_kid} <= published, (server.base, published)
        for token in (before, from_a, from_b):
            server.verify(token)
            assert server.introspect(token, app)["active"] is True


def test_refresh_token_rotation_across_instances(pair, app, user):
    a, b = pair
    first = a.password(app, user)["refresh_token"]
    r = b.refresh(app, first)
    assert r.status_code == 200, r.text
    second = r.json()["refresh_token"]
    assert b.verify(r.json()["access_token"])[1]["sub"] == user.id
    r = a.refresh(app, second)
    assert r.status_code == 200, r.text
    third = r.json()["refresh_token"]
    assert len({first, second, third}) == 3

    # Reusing the first token on B revokes the family, so the newest fails on A.
    r = b.refresh(app, first)
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant", r.text
    r = a.refresh(app, third)
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant", r.text
    assert a.introspect(third) == INACTIVE and b.introspect(third) == INACTIVE


def burst(servers, app, refresh_token: str, n: int = 10) -> list:
    """``n`` uses of ``refresh_token`` released together, spread over ``servers``."""
    barrier = threading.Barrier(n)
    answers: list = [None] * n

    def use(i: int) -> None:
        server = servers[i % len(servers)]
        barrier.wait()
        # Plain requests, not server.refresh(): a 5xx (no Cache-Control) must not kill the thread.
        answers[i] = requests.post(
            server.token_url, data={"grant_type": "refresh_token", "refresh_token": refresh_token},
            auth=app.basic, timeout=30)

    threads = [threading.Thread(target=use, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return answers


def test_concurrent_refresh_across_instances(pair, app, user):
    a, b = pair
    refresh_token = a.password(app, user)["refresh_token"]
    answers = burst((a, b), app, refresh_token)
    statuses = [r.status_code for r in answers]
    assert statuses.count(200) == 1, [(r.status_code, r.text[:120]) for r in answers]
    (winner,) = [r.json() for r in answers if r.status_code == 200]
    _, claims = b.verify(winner["access_token"])
    assert claims["sub"] == user.id
    # Every other presenter is refused with invalid_grant; never a 5xx.
    refused = [r for r in answers if r.status_code == 400]
    assert len(refused) == len(answers) - 1 and {r.json()["error"] for r in refused} == {"invalid_grant"}, statuses


def test_reuse_detection_revokes_the_winners_new_token(pair, app, user):
    a, _ = pair
    for _round in range(60):  # stops at the first round that shows the bug
        refresh_token = a.password(app, user)["refresh_token"]
        answers = burst((a,), app, refresh_token, n=2)
        winners = [r.json() for r in answers if r.status_code == 200]
        assert len(winners) == 1, [(r.status_code, r.text[:120]) for r in answers]
        assert a.introspect(winners[0]["refresh_token"]) == INACTIVE, f"round {_round}: the winner's token survived"
        r = a.refresh(app, winners[0]["refresh_token"])
        assert r.status_code == 400, r.text


STRESS_ROUNDS = int(os.environ.get("GATEHOUSE_TEST_STRESS_ROUNDS", "0"))


@pytest.mark.skipif(STRESS_ROUNDS == 0, reason="stress test: set GATEHOUSE_TEST_STRESS_ROUNDS (e.g. 60)")
def test_concurrent_reuse_never_answers_5xx(pair, app, user):
    a, b = pair
    for _round in range(STRESS_ROUNDS):  # stops at the first round that shows the bug
        refresh_token = a.password(app, user)["refresh_token"]
        answers = burst((a, b), app, refresh_token, n=10)
        statuses = sorted(r.status_code for r in answers)
        assert statuses == [200] + [400] * 9, f"round {_round}: {statuses}"


def test_an_api_key_disabled_on_a_is_refused_by_bs_check_at_once(pair, app):
    # B caches verified API keys (60 s); A's change reaches B through PostgreSQL NOTIFY instead.
    a, b = pair
    key = a.admin("POST", "/admin/v1/apikeys", {"name": "multi", "application": app.id})
    check = lambda: requests.get(b.base + "/v1/check", headers={"X-API-Key": key["key"]}, timeout=5).status_code
    assert check() == 200
    assert check() == 200  # now cached on B
    a.admin("PATCH", f"/admin/v1/apikeys/{key['id']}", {"disabled": True})
    started = time.monotonic()
    assert poll(lambda: check() == 401, timeout=1.0), "B still accepts an API key disabled on A"
    assert time.monotonic() - started < 1.0


def test_an_admin_key_disabled_on_a_is_refused_by_b_at_once(pair):
    """Issue 14 point 8: admin keys are read from the database on every request, never cached.
    (Before `strict_pair`, whose lock-out of 127.0.0.1 reaches every instance on the database.)"""
    a, b = pair
    created = a.admin("POST", "/admin/v1/admin-keys", {"name": unique_name("multi")})
    on_b = lambda: b.server.request("GET", "/admin/v1/orgs", created["key"]).status_code
    assert on_b() == 200
    a.admin("PATCH", f"/admin/v1/admin-keys/{created['id']}", {"disabled": True})
    assert on_b() == 401, "B still accepts an admin key disabled on A"
    a.admin("DELETE", f"/admin/v1/admin-keys/{created['id']}", expect=(204,))
    assert on_b() == 401


def unique_name(prefix: str) -> str:
    return f"{prefix}-{time.monotonic_ns()}"


def consumer_token(server, api_key: str, user_id: str, kind: str = "authentication_code") -> tuple[str, str]:
    """A consumer token (SPEC §4) for the user, exchanged on ``server`` with ``api_key`` and a new
    consumer credential of ``kind``; and that credential's id."""
    body = {"user": user_id, "kind": kind}
    if kind == "pass_code":
        body["identifier"] = unique_name("card")
    made = server.admin("POST", "/admin/v1/consumer-credentials", body)
    if kind == "pass_code":
        identifier = {"identifier": body["identifier"], "pass_code": made["pass_code"]}
    else:
        identifier = {"authentication_code": made["authentication_code"]}
    r = requests.post(
        server.base + "/authentication/consumer_application_key/token", auth=(api_key, ""),
        json={"access_token_identifier": identifier}, timeout=5,
    )
    assert r.status_code == 200, r.text
    return r.json()["data"]["token"], made["id"]


CONSUMER_STOPS = ["delete key", "disable key", "delete consumer", "disable pass code", "delete authentication code"]
SESSION_STOPS = ["delete customer", "disable app", "session access none"]
AUTO_STOPS = ["auto customer changes", "auto session access none"]


@pytest.mark.parametrize("stop", CONSUMER_STOPS + SESSION_STOPS + AUTO_STOPS)
def test_a_derived_credential_stops_on_b_within_a_second_of_its_source_stopping_on_a(pair, stop):
    """Issue 14 point 5: a consumer token dies with its API key, consumer or consumer credential, a
    customer-session token with its customer, its app or the app's permission to act for
    customers, on every instance: A's change reaches B's caches by NOTIFY."""
    a, b = pair
    app = a.create_app(scopes=["read"])
    user = a.create_user()
    key = credential = None
    if stop in CONSUMER_STOPS:
        key = a.admin("POST", "/admin/v1/apikeys", {"name": "consumer key", "application": app.id})
        token, credential = consumer_token(a, key["key"], user.id, "pass_code" if stop == "disable pass code" else "authentication_code")
    elif stop in SESSION_STOPS:
        a.admin("PATCH", f"/admin/v1/apps/{app.id}", {"sessionAccess": "any"}, expect=(200,))
        app_token = a.client_credentials(app)["access_token"]
        r = requests.post(b.base + "/v1/customer-sessions", headers={"Authorization": f"Bearer {app_token}"},
                          json={"customer": user.id}, timeout=5)
        assert r.status_code == 200, r.text
        token = r.json()["access_token"]
    else:
        a.admin("PATCH", f"/admin/v1/apps/{app.id}", {"sessionAccess": "auto", "sessionCustomer": user.username}, expect=(200,))
        token = a.client_credentials(app)["access_token"]
        assert jwt.decode(token, options={"verify_signature": False})["customer"] == user.id
    check = lambda: requests.get(b.base + "/v1/check", headers={"Authorization": f"Bearer {token}"}, timeout=5).status_code
    assert check() == 200
    assert check() == 200  # now cached on B
    stop_source(a, stop, app=app, user=user, key=key, credential=credential)
    started = time.monotonic()
    assert poll(lambda: check() == 401, timeout=1.0), f"B still accepts the token after '{stop}' on A"
    assert time.monotonic() - started < 1.0


def stop_source(a, stop: str, *, app, user, key, credential) -> None:
    """Stops, on ``a``, the source of a derived credential as ``stop`` says."""
    if stop == "delete key":
        a.admin("DELETE", f"/admin/v1/apikeys/{key['id']}", expect=(200, 204))
    elif stop == "disable key":
        a.admin("PATCH", f"/admin/v1/apikeys/{key['id']}", {"disabled": True}, expect=(200,))
    elif stop == "disable pass code":
        a.admin("PATCH", f"/admin/v1/consumer-credentials/{credential}", {"disabled": True}, expect=(200,))
    elif stop == "delete authentication code":
        a.admin("DELETE", f"/admin/v1/consumer-credentials/{credential}", expect=(200, 204))
    elif stop == "disable app":
        a.set_disabled(app, True)
    elif stop in ("session access none", "auto session access none"):
        a.admin("PATCH", f"/admin/v1/apps/{app.id}", {"sessionAccess": "none"}, expect=(200,))
    elif stop == "auto customer changes":
        a.admin("PATCH", f"/admin/v1/apps/{app.id}", {"sessionCustomer": a.create_user().username}, expect=(200,))
    else:
        a.admin("DELETE", f"/admin/v1/users/{user.id}", expect=(200, 204))


@pytest.fixture(scope="module")
def strict_pair(gh_module, admin_key):
    """Two instances that lock a client out after 3 failed authentications (SPEC §7)."""
    env = {"GATEHOUSE_AUTH_FAILURE_LIMIT": "3"}
    a = start_oauth(gh_module, admin_key, "--issuer", ISSUER, db=PG_URL, env=env)
    b = start_oauth(gh_module, admin_key, "--issuer", ISSUER, db=PG_URL, env=env)
    return a, b


def test_a_client_locked_out_on_a_is_refused_by_b(strict_pair):
    """A's lock of the failing address travels by NOTIFY: B refuses it (even with the client's
    right secret) at once, without ever having seen a failure of its own."""
    a, b = strict_pair
    app = a.create_app(scopes=["read"])
    other = a.create_app(scopes=["read"])
    b.client_credentials(app)
    for _ in range(3):
        r = a.token((app.client_id, "ghcs_wrong"), grant_type="client_credentials")
        assert r.status_code == 401, r.text
    assert a.token(app, grant_type="client_credentials").status_code == 429
    started = time.monotonic()
    assert poll(lambda: b.token(app, grant_type="client_credentials").status_code == 429, timeout=1.0)
    assert time.monotonic() - started < 1.0
    r = b.token(app, grant_type="client_credentials")
    assert r.json()["error"] == "temporarily_unavailable" and 1 <= int(r.headers["Retry-After"]) <= 60, r.text
    # The lock is this IP's (a client id is never locked: docs/throttling.md): another client
    # from 127.0.0.1 is locked as well, since all three failures came from there.
    assert b.token(other, grant_type="client_credentials").status_code == 429

