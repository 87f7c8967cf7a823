"""Management commands on the database directly, no server (SPEC §2, shapes of §6)."""

from __future__ import annotations

import json

import pytest

from conftest import assert_one_line_failure


@pytest.fixture
def cli(gh):
    """Runs `gatehouse ARGS --database <this test's SQLite file>`."""
    db = gh.db()

    def run(*args, env=None):
        return gh.run(*args, "--database", db, env=env)

    def ok_json(*args, env=None):
        result = run(*args, "--json", env=env)
        assert result.returncode == 0, f"{args}: exit {result.returncode}\n{result.stderr}"
        assert result.stderr == "", result.stderr
        return json.loads(result.stdout)

    run.json = ok_json
    run.db = db
    return run


def test_migrate_is_idempotent(gh, cli):
    for _ in range(2):
        result = cli("migrate")
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
    assert (gh.workdir / "g.sqlite").exists()
    assert not (gh.workdir / "gatehouse.sqlite").exists()


def test_database_from_environment(gh):
    env = {"GATEHOUSE_DATABASE_URL": gh.db("env.sqlite")}
    created = gh.run("org", "create", "envorg", "--json", env=env)
    assert created.returncode == 0, created.stderr
    shown = gh.run("org", "show", "envorg", "--json", env=env)
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["name"] == "envorg"
    assert (gh.workdir / "env.sqlite").exists()


def test_org_lifecycle(cli):
    org = cli.json("org", "create", "acme", "--max-applications", "1")
    assert {"id", "name", "maxApplications"} <= org.keys()
    assert org["name"] == "acme" and org["maxApplications"] == 1

    listed = cli.json("org", "list")
    assert {"items", "total", "pageIndex", "pageSize"} <= listed.keys()
    names = [o["name"] for o in listed["items"]]
    assert "acme" in names and "default" in names
    assert listed["total"] == len(listed["items"]) == 2

    human = cli("org", "show", "acme")
    assert human.returncode == 0, human.stderr
    assert "acme" in human.stdout and org["id"] in human.stdout
    assert cli.json("org", "show", org["id"])["name"] == "acme"

    unlimited = cli.json("org", "update", "acme", "--unlimited")
    assert "maxApplications" in unlimited and unlimited["maxApplications"] is None
    assert cli.json("org", "update", "acme", "--max-applications", "5")["maxApplications"] == 5
    renamed = cli.json("org", "update", "acme", "--name", "acme2")
    assert renamed["id"] == org["id"] and renamed["name"] == "acme2"

    deleted = cli("org", "delete", "acme2")
    assert deleted.returncode == 0, deleted.stderr
    assert_one_line_failure(cli("org", "show", "acme2"), "not found")
    assert [o["name"] for o in cli.json("org", "list")["items"]] == ["default"]


def test_app_lifecycle(cli):
    cli.json("org", "create", "acme", "--max-applications", "1")
    app = cli.json(
        "app", "create", "--name", "Shop", "--organisation", "acme",
        "--scope", "a", "--scope", "b", "--allowed-ip", "10.0.0.0/8",
    )
    for field in ("id", "clientId", "clientSecret", "name", "scopes", "allowedIPs", "organisation", "disabled"):
        assert field in app, field
    assert app["clientSecret"].startswith("ghcs_")
    assert app["name"] == "Shop" and app["scopes"] == ["a", "b"] and app["allowedIPs"] == ["10.0.0.0/8"]
    assert app["disabled"] is False
    app_id = app["id"]

    shown = cli("app", "show", app_id, "--json")
    assert shown.returncode == 0, shown.stderr
    assert "clientSecret" not in json.loads(shown.stdout)
    assert app["clientSecret"] not in shown.stdout and "ghcs_" not in shown.stdout
    assert cli.json("app", "show", app["clientId"])["id"] == app_id, "show by client id"

    rotated = cli.json("app", "rotate-secret", app_id)
    assert rotated["clientSecret"].startswith("ghcs_")
    assert rotated["clientSecret"] != app["clientSecret"]

    disabled = cli.json("app", "disable", app_id)
    assert disabled["disabled"] is True and "clientSecret" not in disabled
    assert cli.json("app", "show", app_id)["disabled"] is True
    assert cli.json("app", "enable", app_id)["disabled"] is False

    updated = cli.json("app", "update", app_id, "--scope", "c", "--clear", "allowedIPs")
    assert updated["scopes"] == ["c"] and updated["allowedIPs"] == [] and "clientSecret" not in updated

    listed = cli("app", "list", "--organisation", "acme", "--json")
    assert listed.returncode == 0, listed.stderr
    body = json.loads(listed.stdout)
    assert body["total"] == 1 and [a["id"] for a in body["items"]] == [app_id]
    assert "clientSecret" not in listed.stdout and "ghcs_" not in listed.stdout
    assert cli.json("app", "list", "--organisation", "default")["total"] == 0

    deleted = cli("app", "delete", app_id)
    assert deleted.returncode == 0, deleted.stderr
    assert_one_line_failure(cli("app", "show", app_id), "not found")
    assert cli("org", "delete", "acme").returncode == 0
    assert_one_line_failure(cli("org", "show", "acme"), "not found")


def test_org_show_unknown(cli):
    result = cli("org", "show", "nope")
    assert result.returncode == 1
    line = assert_one_line_failure(result)
    assert line.startswith("gatehouse: not found"), line
    assert result.stdout == ""


def test_app_create_invalid_ip(cli):
    result = cli("app", "create", "--name", "x", "--allowed-ip", "nonsense")
    assert result.returncode == 1
    assert_one_line_failure(result, "allowedIPs")
    assert cli.json("app", "list")["total"] == 0, "a refused create must not store anything"


def test_app_quota(cli):
    cli.json("org", "create", "acme", "--max-applications", "1")
    cli.json("app", "create", "--name", "one", "--organisation", "acme")
    result = cli("app", "create", "--name", "two", "--organisation", "acme", "--json")
    assert result.returncode == 1
    assert_one_line_failure(result, "quota")
    assert result.stdout == ""
    assert cli.json("app", "list", "--organisation", "acme")["total"] == 1
    # Lifting the quota lets the second one in.
    cli.json("org", "update", "acme", "--unlimited")
    cli.json("app", "create", "--name", "two", "--organisation", "acme")
    assert cli.json("app", "list", "--organisation", "acme")["total"] == 2


def test_duplicate_org_is_a_conflict(cli):
    cli.json("org", "create", "acme")
    result = cli("org", "create", "acme")
    assert result.returncode == 1
    assert_one_line_failure(result, "conflict")


def test_admin_generate_key_prints_fresh_keys(gh):
    first, second = gh.generate_admin_key(), gh.generate_admin_key()
    assert first != second


def test_admin_key_lifecycle(cli):
    """Issue 14 point 8: admin keys are listed, changed and deleted from the CLI, never shown twice."""
    first = cli.json("admin", "create", "first", "--expires-at", "2099-01-01T00:00:00Z")
    assert first["key"].startswith("ghadm_") and first["keyPrefix"] == first["key"][:10]
    assert first["expiresAt"] == "2099-01-01T00:00:00Z" and first["disabled"] is False and first["organisation"] is None

    listed = cli.json("admin", "list")
    assert {"items", "total", "pageIndex", "pageSize"} <= listed.keys()
    assert listed["total"] == 1 and first["key"] not in json.dumps(listed)
    assert "key" not in listed["items"][0] and "keyHash" not in listed["items"][0]

    # The only usable key stays: neither disabled nor deleted.
    assert_one_line_failure(cli("admin", "disable", first["id"]), "last usable admin key")
    assert_one_line_failure(cli("admin", "delete", first["id"]), "last usable admin key")

    second = cli.json("admin", "create", "second")
    renamed = cli.json("admin", "update", second["id"], "--name", "renamed", "--no-expiry")
    assert renamed["name"] == "renamed" and "key" not in renamed
    assert cli.json("admin", "disable", first["id"])["disabled"] is True
    assert cli.json("admin", "enable", first["id"])["disabled"] is False
    assert cli.json("admin", "show", first["id"])["name"] == "first"
    deleted = cli("admin", "delete", first["id"])
    assert deleted.returncode == 0, deleted.stderr
    assert_one_line_failure(cli("admin", "show", first["id"]), "not found")
    assert cli.json("admin", "list")["total"] == 1

    human = cli("admin", "list")
    assert second["key"][:10] in human.stdout and second["key"] not in human.stdout


@pytest.mark.parametrize("args, mention", [
    (("admin", "create", ""), "name"),
    (("admin", "create", "x", "--expires-at", "yesterday"), "expiresAt"),
    (("admin", "create", "x", "--expires-at", "2001-01-01T00:00:00Z"), "expiresAt"),
    (("admin", "show", "nope"), "not found"),
    (("admin", "delete", "nope"), "not found"),
])
def test_admin_key_bad_input_is_one_line(cli, args, mention):
    assert_one_line_failure(cli(*args), mention)
