"""Two things about the admin API that JSON Schema cannot say, applied to every request schemathesis
sends (SCHEMATHESIS_HOOKS, loaded by test_openapi_contract.py). Nothing else is changed.

1. How a number is spelt. The admin API takes integers only as plain decimal integers and refuses
   `60.0` and `6e1` (docs/admin-api.md, "numbers"; IntegerExtremesTests); JSON Schema's `integer`
   admits them, since it judges the value, not its spelling. An integral float is sent as the
   integer it equals.
2. "In the future". `expiresAt` must be after the moment the request arrives (the document says so
   in its description); JSON Schema has no "now". A well-formed date-time that is not at least a
   day ahead is moved to the year 2099, keeping its form.

And one thing about the run itself: schemathesis holds one admin key. A PATCH or DELETE of that
key's id (which it can read from the list) would lock the rest of the run out with 401s, so such
a request is aimed at an unknown id instead (a 404, as for any unknown id). Its other keys are
fair game.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

import schemathesis


def _integers_plain(value):
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**63:
        return int(value)
    if isinstance(value, list):
        return [_integers_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _integers_plain(item) for key, item in value.items()}
    return value


def _in_the_future(value):
    if not isinstance(value, str) or len(value) < 20:
        return value
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return value
    if moment.tzinfo is None or moment > datetime.now(timezone.utc) + timedelta(days=1):
        return value
    return "2099" + value[4:]


OWN_ADMIN_KEY_ID = os.environ.get("GATEHOUSE_OWN_ADMIN_KEY_ID")
UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"


@schemathesis.hook
def before_call(context, case, **kwargs):
    parameters = case.path_parameters or {}
    if OWN_ADMIN_KEY_ID and case.path.startswith("/admin/v1/admin-keys/") and parameters.get("id") == OWN_ADMIN_KEY_ID:
        parameters["id"] = UNKNOWN_ID
    if not isinstance(case.body, dict):
        return
    body = _integers_plain(case.body)
    if "expiresAt" in body:
        body["expiresAt"] = _in_the_future(body["expiresAt"])
    case.body = body
