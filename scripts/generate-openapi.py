#!/usr/bin/env python3
"""Writes the admin API's OpenAPI 3.1 document into Sources/GatehouseServer/Admin/AdminOpenAPIDocument.swift."""
import json

def ref(name, kind="schemas"):
    return {"$ref": f"#/components/{kind}/{name}"}

def json_content(schema, example=None):
    c = {"schema": schema}
    if example is not None:
        c["example"] = example
    return {"application/json": c}

def nullable(schema_type):
    return [schema_type, "null"]

ORG_NAME = {
    "type": "string", "minLength": 1, "maxLength": 64,
    "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$",
    "description": "1-64 ASCII letters, digits, '.', '_' or '-', starting with a letter or digit.",
    "examples": ["acme"],
}
MAX_APPS = {
    "type": ["integer", "null"], "minimum": 0, "maximum": 1000000,
    "description": "The most applications the organisation may hold; null means no limit.",
}
GRANT_TYPE = {"type": "string", "enum": ["client_credentials", "password", "refresh_token", "authorization_code"]}
SCOPE = {
    "type": "string", "minLength": 1, "maxLength": 200,
    "pattern": "^[!#-\\[\\]-~]+$",
    "description": "An RFC 6749 §3.3 scope token (printable ASCII except space, '\"' and '\\').",
}
REDIRECT_URI = {
    "type": "string", "format": "uri", "maxLength": 2000,
    "description": "An absolute URI without a fragment (RFC 6749 §3.1.2).",
}
CIDR = {
    "type": "string",
    "description": "An IPv4 or IPv6 address or CIDR block; stored in canonical form (masked network address and prefix length, e.g. 10.0.0.0/8).",
    "examples": ["203.0.113.0/24", "2001:db8::/32"],
}
METHOD = {
    "type": "string", "minLength": 1, "maxLength": 20, "pattern": "^[A-Za-z]+$",
    "description": "An HTTP method name; stored upper case.",
    "examples": ["GET"],
}
RESOURCE = {
    "type": "string", "minLength": 1, "maxLength": 500, "pattern": "^/[^?#]*$",
    "description": "An absolute path pattern: segments are literal, '*' (exactly one segment) or a final '**' (any rest); no empty, '.' or '..' segments, no '?' or '#'.",
    "examples": ["/v1/orders/*/items", "/v1/**"],
}
APP_NAME = {"type": "string", "minLength": 1, "maxLength": 200,
            "description": "Trimmed of surrounding white space; must not be empty or contain control characters (other than tab and newline)."}
DESCRIPTION = {"type": "string", "maxLength": 2000,
               "description": "Trimmed of surrounding white space; no control characters other than tab and newline."}
AUTH_TYPE = {"type": "string", "enum": ["bearer", "basic"],
             "description": "`bearer`: the app must exchange its credentials for a token; `basic`: it may also send `clientId:clientSecret` as HTTP Basic with every API request."}
SESSION_ACCESS = {"type": "string", "enum": ["none", "any", "auto"],
                  "description": "Whether the app may act for a customer: `none`, `any`, or `auto` (every token acts for the fixed `sessionCustomer`)."}
SESSION_CUSTOMER = {"type": "string", "minLength": 1, "maxLength": 200,
                    "description": "The fixed customer of an `auto` session app; required when `sessionAccess` is `auto`, not allowed otherwise."}
TTL = {"type": "integer", "minimum": 60, "maximum": 86400, "description": "Access-token lifetime in seconds."}
USERNAME = {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[^:]+$",
            "description": "Trimmed of surrounding white space; 1-200 characters, no control characters and no ':' (an API user's username is its client id, sent as the HTTP Basic user-id, RFC 7617 §2). Unique within the organisation; an API user's username is unique across all organisations.",
            "examples": ["alice"]}
PASSWORD = {"type": "string", "minLength": 8, "maxLength": 1024, "writeOnly": True,
            "description": "At least 8 characters and at most 1024 UTF-8 bytes, taken exactly as given (not trimmed). Stored only as a PBKDF2-HMAC-SHA256 hash; never returned."}
UNIT = {"type": "string", "minLength": 1, "maxLength": 100,
        "description": "A unit of the organisation: trimmed, 1-100 characters, no control characters.", "examples": ["north"]}

def list_of(item, description):
    return {"type": "array", "maxItems": 100, "items": item,
            "description": description + " At most 100 entries; duplicates are dropped."}

def nullable_schema(schema, extra_description):
    s = dict(schema)
    t = s["type"]
    s["type"] = [t, "null"] if isinstance(t, str) else t
    s["description"] = (s.get("description", "") + " " + extra_description).strip()
    return s

DATE_TIME = {"type": "string", "format": "date-time"}
UUID = {"type": "string", "format": "uuid"}

schemas = {}

schemas["Error"] = {
    "type": "object",
    "description": "Every admin API error. Codes: `invalid_request` (400, 413, 415), `unauthorized` (401), `not_found` (404), `conflict` and `quota_exceeded` (409), `too_many_failed_attempts` (429), `server_error` (500), `temporarily_unavailable` (503).",
    "required": ["error", "message"],
    "properties": {
        "error": {"type": "string", "description": "Machine-readable error code.",
                  "examples": ["invalid_request", "unauthorized", "not_found", "conflict", "quota_exceeded"]},
        "message": {"type": "string", "description": "Human-readable explanation."},
        "field": {"type": "string", "description": "The offending request field or query parameter, when there is one."},
    },
}

schemas["Organisation"] = {
    "type": "object",
    "description": "A tenancy partition. The organisation named `default` always exists.",
    "required": ["id", "name", "maxApplications", "createdAt"],
    "properties": {
        "id": UUID,
        "name": ORG_NAME,
        "maxApplications": {
            "type": ["integer", "null"], "minimum": 0, "maximum": 1000000,
            "description": "The most applications the organisation may hold; null when there is no limit.",
        },
        "createdAt": DATE_TIME,
    },
}
schemas["OrganisationInput"] = {
    "type": "object",
    "description": "Body of `POST /admin/v1/orgs`. Unknown fields are refused.",
    "additionalProperties": False,
    "required": ["name"],
    "properties": {"name": ORG_NAME, "maxApplications": MAX_APPS},
}
schemas["OrganisationPatch"] = {
    "type": "object",
    "description": "Body of `PATCH /admin/v1/orgs/{id}`, with JSON merge patch semantics (RFC 7396): an absent field is kept, `null` clears it, a value replaces it. Unknown fields are refused. The `default` organisation cannot be renamed.",
    "additionalProperties": False,
    "properties": {
        "name": dict(ORG_NAME, description=ORG_NAME["description"] + " Must not be null."),
        "maxApplications": dict(MAX_APPS, description="The new quota; null removes the limit."),
    },
}

app_props = {
    "id": UUID,
    "clientId": dict(UUID, description="The OAuth client id (AuthKey)."),
    "name": APP_NAME,
    "description": nullable_schema(DESCRIPTION, "Null when not set."),
    "organisation": dict(UUID, description="The id of the organisation the application belongs to."),
    "grantTypes": {"type": "array", "items": GRANT_TYPE},
    "scopes": {"type": "array", "items": SCOPE},
    "redirectUris": {"type": "array", "items": REDIRECT_URI},
    "authorizationType": AUTH_TYPE,
    "allowedIPs": {"type": "array", "items": CIDR, "description": "Empty means any IP."},
    "allowedMethods": {"type": "array", "items": METHOD, "description": "Empty means any method."},
    "resources": {"type": "array", "items": RESOURCE, "description": "Empty means any path."},
    "sessionAccess": SESSION_ACCESS,
    "sessionCustomer": nullable_schema(SESSION_CUSTOMER, "Null unless `sessionAccess` is `auto`."),
    "accessTokenTTL": TTL,
    "disabled": {"type": "boolean"},
    "createdAt": DATE_TIME,
    "updatedAt": DATE_TIME,
}
schemas["Application"] = {
    "type": "object",
    "description": "An OAuth client and app authorization in one. The client secret is never part of it.",
    "required": list(app_props.keys()),
    "properties": app_props,
}

def optional_input(schema, default=None, note="null is the same as absent."):
    s = nullable_schema(schema, note)
    if default is not None:
        s["default"] = default
    return s

schemas["ApplicationInput"] = {
    "type": "object",
    "description": "Body of `POST /admin/v1/apps`. Unknown fields are refused. `sessionCustomer` is required when `sessionAccess` is `auto` and not allowed otherwise.",
    "additionalProperties": False,
    "required": ["name"],
    "properties": {
        "name": APP_NAME,
        "description": optional_input(DESCRIPTION),
        "organisation": optional_input({"type": "string", "description": "Organisation id or name."}, default="default"),
        "grantTypes": optional_input(list_of(GRANT_TYPE, "OAuth grant types the client may use."), default=["client_credentials"]),
        "scopes": optional_input(list_of(SCOPE, "Scopes the client may request."), default=[]),
        "redirectUris": optional_input(list_of(REDIRECT_URI, "Registered redirect URIs."), default=[]),
        "authorizationType": optional_input(AUTH_TYPE, default="bearer"),
        "allowedIPs": optional_input(list_of(CIDR, "IP allow-list; empty means any IP."), default=[]),
        "allowedMethods": optional_input(list_of(METHOD, "Allowed HTTP methods; empty means any method."), default=[]),
        "resources": optional_input(list_of(RESOURCE, "Assigned resources (path patterns); empty means any path."), default=[]),
        "sessionAccess": optional_input(SESSION_ACCESS, default="none"),
        "sessionCustomer": optional_input(SESSION_CUSTOMER),
        "accessTokenTTL": optional_input(TTL, default=3600),
    },
    "if": {"required": ["sessionAccess"], "properties": {"sessionAccess": {"const": "auto"}}},
    "then": {"required": ["sessionCustomer"], "properties": {"sessionCustomer": {"type": "string"}}},
    "else": {"properties": {"sessionCustomer": {"type": "null"}}},
}

def patch_field(schema, nullable_note=None, non_null_note="Must not be null."):
    if nullable_note:
        return nullable_schema(schema, nullable_note)
    s = dict(schema)
    s["description"] = (s.get("description", "") + " " + non_null_note).strip()
    return s

schemas["ApplicationPatch"] = {
    "type": "object",
    "description": "Body of `PATCH /admin/v1/apps/{id}`, with JSON merge patch semantics (RFC 7396): an absent field is kept, `null` clears it, a value replaces it; the result obeys the same rules as creation. The organisation of an application never changes. Unknown fields are refused. Setting `sessionAccess` to anything but `auto` drops `sessionCustomer` unless the patch names one.",
    "additionalProperties": False,
    "properties": {
        "name": patch_field(APP_NAME),
        "description": patch_field(DESCRIPTION, "null clears it."),
        "grantTypes": patch_field(list_of(GRANT_TYPE, "OAuth grant types the client may use.")),
        "scopes": patch_field(list_of(SCOPE, "Scopes the client may request."), "null empties the list."),
        "redirectUris": patch_field(list_of(REDIRECT_URI, "Registered redirect URIs."), "null empties the list."),
        "authorizationType": patch_field(AUTH_TYPE),
        "allowedIPs": patch_field(list_of(CIDR, "IP allow-list; empty means any IP."), "null empties the list."),
        "allowedMethods": patch_field(list_of(METHOD, "Allowed HTTP methods; empty means any method."), "null empties the list."),
        "resources": patch_field(list_of(RESOURCE, "Assigned resources (path patterns); empty means any path."), "null empties the list."),
        "sessionAccess": patch_field(SESSION_ACCESS),
        "sessionCustomer": patch_field(SESSION_CUSTOMER, "null clears it."),
        "accessTokenTTL": patch_field(TTL),
        "disabled": {"type": "boolean", "description": "A disabled application cannot obtain or use credentials. Must not be null."},
    },
}

user_props = {
    "id": UUID,
    "username": USERNAME,
    "organisation": dict(UUID, description="The id of the organisation the user belongs to."),
    "apiUser": {"type": "boolean", "description": "Whether the user may authenticate at the token endpoint as a client (`client_id` = username, `client_secret` = password) with the client_credentials grant."},
    "units": {"type": "array", "items": UNIT, "description": "The units of the organisation the user belongs to."},
    "disabled": {"type": "boolean"},
    "createdAt": DATE_TIME,
    "updatedAt": DATE_TIME,
}
schemas["User"] = {
    "type": "object",
    "description": "A resource owner, customer or consumer. The password (and its hash) is never part of it.",
    "required": list(user_props.keys()),
    "properties": user_props,
}
schemas["UserInput"] = {
    "type": "object",
    "description": "Body of `POST /admin/v1/users`. Unknown fields are refused.",
    "additionalProperties": False,
    "required": ["username", "password"],
    "properties": {
        "username": USERNAME,
        "password": PASSWORD,
        "organisation": optional_input({"type": "string", "description": "Organisation id or name."}, default="default"),
        "apiUser": optional_input({"type": "boolean", "description": "Whether the user may authenticate as a client."}, default=False),
        "units": optional_input(list_of(UNIT, "The units the user belongs to."), default=[]),
    },
}
schemas["UserPatch"] = {
    "type": "object",
    "description": "Body of `PATCH /admin/v1/users/{id}`, with JSON merge patch semantics (RFC 7396): an absent field is kept, `null` clears it, a value replaces it; the result obeys the same rules as creation. The organisation of a user never changes. Unknown fields are refused. A new password or `disabled: true` revokes the user's refresh tokens.",
    "additionalProperties": False,
    "properties": {
        "username": patch_field(USERNAME),
        "password": patch_field(PASSWORD),
        "apiUser": {"type": "boolean", "description": "Whether the user may authenticate as a client. Must not be null."},
        "disabled": {"type": "boolean", "description": "A disabled user cannot obtain tokens. Must not be null."},
        "units": patch_field(list_of(UNIT, "The units the user belongs to."), "null empties the list."),
    },
}

APIKEY_NAME = {"type": "string", "minLength": 1, "maxLength": 200,
               "description": "Trimmed of surrounding white space; must not be empty or contain control characters (other than tab and newline)."}
EXPIRES_AT = {"type": "string", "format": "date-time",
              "description": "An RFC 3339 date-time with a time offset (e.g. `2030-01-31T12:00:00Z`), in the future; kept to whole seconds."}
API_KEY = {
    "type": "string", "pattern": "^ghak_[0-9A-Za-z]{49}$",
    "description": "The API key: `ghak_` followed by 49 base62 characters (256 random bits and a checksum). Shown only in this answer; store it now. Send it as `Authorization: Bearer <key>`, `X-API-Key: <key>` or HTTP Basic with the key as user name and an empty password.",
}
apikey_props = {
    "id": UUID,
    "name": APIKEY_NAME,
    "description": nullable_schema(DESCRIPTION, "Null when not set."),
    "organisation": dict(UUID, description="The id of the organisation the key belongs to: its owner's."),
    "application": {"type": ["string", "null"], "format": "uuid", "description": "The id of the owning application; null for a user's key."},
    "user": {"type": ["string", "null"], "format": "uuid", "description": "The id of the owning user; null for an application's key."},
    "scopes": {"type": "array", "items": SCOPE, "description": "For an application's key, a subset of the application's scopes."},
    "expiresAt": {"type": ["string", "null"], "format": "date-time", "description": "When the key stops working; null when it never expires."},
    "lastUsedAt": {"type": ["string", "null"], "format": "date-time", "description": "When the key was last used (recorded within a few seconds); null when never."},
    "disabled": {"type": "boolean"},
    "keyPrefix": {"type": "string", "pattern": "^ghak_[0-9A-Za-z]{4}$", "description": "The first 9 characters of the key, to tell keys apart without the secret."},
    "createdAt": DATE_TIME,
    "updatedAt": DATE_TIME,
}
schemas["APIKey"] = {
    "type": "object",
    "description": "A named, long-lived secret sent with each request, owned by an application (whose policy it inherits) or a user. The key itself (and its hash) is never part of it.",
    "required": list(apikey_props.keys()),
    "properties": apikey_props,
}
schemas["APIKeyInput"] = {
    "type": "object",
    "description": "Body of `POST /admin/v1/apikeys`. Exactly one of `application` and `user` is required; the key belongs to the owner's organisation. Unknown fields are refused.",
    "additionalProperties": False,
    "required": ["name"],
    "properties": {
        "name": APIKEY_NAME,
        "description": optional_input(DESCRIPTION),
        "application": optional_input({"type": "string", "description": "The owning application: id or client id."}),
        "user": optional_input({"type": "string", "description": "The owning user: id."}),
        "scopes": optional_input(list_of(SCOPE, "The key's scopes: for an application's key a subset of the application's scopes (default: all of them); for a user's key any scopes (default: none).")),
        "expiresAt": optional_input(EXPIRES_AT, note="null or absent: the key never expires."),
    },
    "oneOf": [
        {"required": ["application"], "properties": {"application": {"type": "string"}}},
        {"required": ["user"], "properties": {"user": {"type": "string"}}},
    ],
}
schemas["APIKeyPatch"] = {
    "type": "object",
    "description": "Body of `PATCH /admin/v1/apikeys/{id}`, with JSON merge patch semantics (RFC 7396): an absent field is kept, `null` clears it, a value replaces it; the result obeys the same rules as creation. The owner, organisation and key never change. Unknown fields are refused. Changes are in force at once.",
    "additionalProperties": False,
    "properties": {
        "name": patch_field(APIKEY_NAME),
        "description": patch_field(DESCRIPTION, "null clears it."),
        "scopes": patch_field(list_of(SCOPE, "The key's scopes (for an application's key, a subset of the application's)."), "null empties the list."),
        "expiresAt": patch_field(EXPIRES_AT, "null: the key never expires."),
        "disabled": {"type": "boolean", "description": "A disabled key is refused everywhere. Must not be null."},
    },
}
schemas["IssuedAPIKey"] = {
    "description": "The answer of `POST /admin/v1/apikeys`: the API key's fields plus the key itself, this once.",
    "allOf": [ref("APIKey"), {"type": "object", "required": ["key"], "properties": {"key": API_KEY}}],
}

ADMIN_KEY = {
    "type": "string", "pattern": "^ghadm_[0-9A-Za-z]{49}$",
    "description": "The admin key: `ghadm_` followed by 49 base62 characters (256 random bits and a checksum). Shown only in this answer; store it now. Send it as `Authorization: Bearer <key>`.",
}
adminkey_props = {
    "id": UUID,
    "name": APIKEY_NAME,
    "organisation": {"type": ["string", "null"], "format": "uuid", "description": "The organisation the key is limited to (SPEC §6); null for an operator key. Every key is an operator key for now: scoped keys come with the console's administrators."},
    "keyPrefix": {"type": ["string", "null"], "pattern": "^ghadm_[0-9A-Za-z]{4}$", "description": "The first 10 characters of the key, to tell keys apart without the secret; null for keys made before prefixes were kept."},
    "expiresAt": {"type": ["string", "null"], "format": "date-time", "description": "When the key stops working; null when it never expires."},
    "lastUsedAt": {"type": ["string", "null"], "format": "date-time", "description": "When the key was last used (recorded within a few seconds); null when never."},
    "disabled": {"type": "boolean"},
    "createdAt": DATE_TIME,
    "updatedAt": DATE_TIME,
}
schemas["AdminKey"] = {
    "type": "object",
    "description": "A key of the admin API. The key itself (and its hash) is never part of it.",
    "required": list(adminkey_props.keys()),
    "properties": adminkey_props,
}
schemas["AdminKeyInput"] = {
    "type": "object",
    "description": "Body of `POST /admin/v1/admin-keys`. Unknown fields (`organisation` included, until scoped keys are enforced) are refused.",
    "additionalProperties": False,
    "required": ["name"],
    "properties": {
        "name": APIKEY_NAME,
        "expiresAt": optional_input(EXPIRES_AT, note="null or absent: the key never expires."),
    },
}
schemas["AdminKeyPatch"] = {
    "type": "object",
    "description": "Body of `PATCH /admin/v1/admin-keys/{id}`, with JSON merge patch semantics (RFC 7396). The key never changes. Unknown fields are refused. A disabled or expired key is refused from the next request on, on every instance.",
    "additionalProperties": False,
    "properties": {
        "name": patch_field(APIKEY_NAME),
        "expiresAt": patch_field(EXPIRES_AT, "null: the key never expires."),
        "disabled": {"type": "boolean", "description": "A disabled key is refused everywhere. Must not be null."},
    },
}
schemas["IssuedAdminKey"] = {
    "description": "The answer of `POST /admin/v1/admin-keys`: the admin key's fields plus the key itself, this once.",
    "allOf": [ref("AdminKey"), {"type": "object", "required": ["key"], "properties": {"key": ADMIN_KEY}}],
}

CONSUMER_IDENTIFIER = {"type": "string", "minLength": 1, "maxLength": 200,
                       "description": "The public half of a `pass_code` credential: trimmed, 1-200 characters, no control characters; unique within the user's organisation.",
                       "examples": ["4111-2222"]}
consumer_credential_props = {
    "id": UUID,
    "user": dict(UUID, description="The id of the user (consumer) the credential belongs to."),
    "organisation": dict(UUID, description="The id of the credential's organisation: its user's."),
    "kind": {"type": "string", "enum": ["authentication_code", "pass_code"]},
    "identifier": {"type": ["string", "null"], "maxLength": 200, "description": "The identifier of a `pass_code` credential; null for an `authentication_code`."},
    "disabled": {"type": "boolean", "description": "A disabled credential cannot be exchanged for a consumer token."},
    "createdAt": DATE_TIME,
}
schemas["ConsumerCredential"] = {
    "type": "object",
    "description": "A consumer's credential for the consumer application key flow (`POST /authentication/consumer_application_key/token`). The code, the pass code and their hashes are never part of it.",
    "required": list(consumer_credential_props.keys()),
    "properties": consumer_credential_props,
}
schemas["ConsumerCredentialInput"] = {
    "type": "object",
    "description": "Body of `POST /admin/v1/consumer-credentials`. The secret half is always generated by the server. Unknown fields are refused.",
    "additionalProperties": False,
    "required": ["user", "kind"],
    "properties": {
        "user": {"type": "string", "description": "The id of the owning user; the credential belongs to the user's organisation."},
        "kind": {"type": "string", "enum": ["authentication_code", "pass_code"]},
        "identifier": optional_input(CONSUMER_IDENTIFIER, note="Required with `pass_code`, not allowed with `authentication_code`."),
    },
    "if": {"required": ["kind"], "properties": {"kind": {"const": "pass_code"}}},
    "then": {"required": ["identifier"], "properties": {"identifier": {"type": "string"}}},
    "else": {"properties": {"identifier": {"type": "null"}}},
}
schemas["ConsumerCredentialPatch"] = {
    "type": "object",
    "description": "Body of `PATCH /admin/v1/consumer-credentials/{id}`: only `disabled` can change (delete and create a credential for a new code). Unknown fields are refused.",
    "additionalProperties": False,
    "properties": {"disabled": {"type": "boolean", "description": "Must not be null."}},
}
schemas["IssuedConsumerCredential"] = {
    "description": "The answer of `POST /admin/v1/consumer-credentials`, the only one that holds the secret.",
    "oneOf": [
        {"type": "object", "title": "authentication_code", "additionalProperties": False, "required": ["id", "authentication_code"],
         "properties": {"id": UUID, "authentication_code": {
             "type": "string", "pattern": "^ghac_[0-9A-Za-z]{49}$",
             "description": "`ghac_` followed by 49 base62 characters (256 random bits and a checksum). Shown only in this answer; stored as a keyed hash."}}},
        {"type": "object", "title": "pass_code", "additionalProperties": False, "required": ["id", "identifier", "pass_code"],
         "properties": {"id": UUID, "identifier": CONSUMER_IDENTIFIER, "pass_code": {
             "type": "string", "pattern": "^[0-9]{8}$",
             "description": "8 random decimal digits. Shown only in this answer; stored as a PBKDF2 hash."}}},
    ],
}

CLIENT_SECRET = {
    "type": "string", "pattern": "^ghcs_[0-9A-Za-z]{49}$",
    "description": "The client secret (AuthPassword): `ghcs_` followed by 49 base62 characters (256 random bits and a checksum). Shown only in this answer; store it now.",
}
schemas["IssuedApplication"] = {
    "description": "The answer of `POST /admin/v1/apps`: the application plus its client secret, this once.",
    "allOf": [ref("Application"), {"type": "object", "required": ["clientSecret"], "properties": {"clientSecret": CLIENT_SECRET}}],
}
schemas["RegeneratedSecret"] = {
    "type": "object",
    "description": "The answer of `POST /admin/v1/apps/{id}/secret`. The previous secret stops working at once.",
    "required": ["clientId", "clientSecret"],
    "properties": {"clientId": dict(UUID, description="The OAuth client id (AuthKey)."), "clientSecret": CLIENT_SECRET},
}
schemas["AuditEvent"] = {
    "type": "object",
    "description": "One entry of the append-only audit log: who changed what, when, and from where. Never holds a secret.",
    "required": ["id", "at", "actor", "action", "targetType", "targetId", "ip", "details"],
    "properties": {
        "id": UUID,
        "at": DATE_TIME,
        "actor": {"type": "string", "description": "`adminkey:<id>` for an admin key, `cli` for the command line, `system` for the server itself, `unknown` for a failed admin authentication (`adminkey.authenticate.failure`, at most one row per client address per minute, with `details.count` and at most `details.keyPrefix`).", "examples": ["adminkey:0f6c2f1e-3c1a-4b7e-9a43-2d7d1f0a9c11"]},
        "action": {"type": "string", "description": "Dotted verb.", "examples": ["organisation.create", "application.update", "application.secret.regenerate", "user.create", "apikey.create", "adminkey.update", "adminkey.authenticate.failure"]},
        "targetType": {"type": "string", "examples": ["organisation", "application", "user", "apikey"]},
        "targetId": {"type": "string"},
        "ip": {"type": ["string", "null"], "description": "The client IP of the change, resolved like `/v1/check` (the peer, or whom `--trusted-proxies` name); null when unknown, e.g. for CLI changes."},
        "details": {"type": "object", "additionalProperties": {"type": "string"},
                    "description": "Extra facts, e.g. `fields`: the comma-separated names of changed fields."},
    },
}

def page(item, desc):
    return {
        "type": "object",
        "description": desc,
        "required": ["items", "pageIndex", "pageSize", "total"],
        "properties": {
            "items": {"type": "array", "items": ref(item)},
            "pageIndex": {"type": "integer", "minimum": 1, "maximum": 10000000},
            "pageSize": {"type": "integer", "minimum": 1, "maximum": 100},
            "total": {"type": "integer", "minimum": 0, "description": "Number of matching items across all pages."},
        },
    }
schemas["OrganisationPage"] = page("Organisation", "One page of organisations.")
schemas["ApplicationPage"] = page("Application", "One page of applications.")
schemas["UserPage"] = page("User", "One page of users (never with passwords).")
schemas["ConsumerCredentialPage"] = page("ConsumerCredential", "One page of consumer credentials (never with codes or pass codes).")
schemas["APIKeyPage"] = page("APIKey", "One page of API keys (never with the keys).")
schemas["AdminKeyPage"] = page("AdminKey", "One page of admin keys (never with the keys).")
schemas["AuditEventPage"] = page("AuditEvent", "One page of audit events, newest first.")

def error_response(desc, example):
    return {"description": desc, "content": json_content(ref("Error"), example)}

responses = {
    "BadRequest": error_response("Invalid input: a malformed body, an unknown field, a wrong type or a value outside the rules. `field` names the offending field or query parameter.",
                                 {"error": "invalid_request", "message": "accessTokenTTL must be between 60 and 86400 seconds", "field": "accessTokenTTL"}),
    "Unauthorized": {
        "description": "No valid admin key in `Authorization: Bearer <admin key>`.",
        "headers": {"WWW-Authenticate": {"description": "Always `Bearer realm=\"gatehouse-admin\"`.",
                                         "schema": {"type": "string", "examples": ["Bearer realm=\"gatehouse-admin\""]}}},
        "content": json_content(ref("Error"), {"error": "unauthorized", "message": "a valid admin key is required (Authorization: Bearer <admin key>)"}),
    },
    "NotFound": error_response("No such resource.", {"error": "not_found", "message": "no organisation 'acme'"}),
    "PayloadTooLarge": error_response("The request body is larger than the limit (64 KiB by default).",
                                      {"error": "invalid_request", "message": "request body larger than 65536 bytes"}),
    "ServiceUnavailable": {
        "description": "The database is not answering (docs/availability.md), or too many password hashes are already queued; retry after the indicated delay.",
        "headers": {"Retry-After": {"description": "Seconds to wait before retrying.", "schema": {"type": "integer", "examples": [1]}}},
        "content": json_content(ref("Error"), {"error": "temporarily_unavailable", "message": "too many password operations at once; retry shortly"}),
    },
    "TooManyRequests": {
        "description": "This IP address sent too many wrong admin keys; retry after the indicated delay (docs/throttling.md).",
        "headers": {"Retry-After": {"description": "Seconds until the lock ends.", "schema": {"type": "integer", "examples": [60]}}},
        "content": json_content(ref("Error"), {"error": "too_many_failed_attempts", "message": "too many failed authentication attempts; retry in 60 s"}),
    },
    "UnsupportedMediaType": error_response("The request body is not sent as `application/json`.",
                                           {"error": "invalid_request", "message": "Content-Type must be application/json"}),
}

parameters = {
    "PageIndex": {"name": "pageIndex", "in": "query", "required": False, "description": "1-based page number.",
                  "schema": {"type": "integer", "minimum": 1, "maximum": 10000000, "default": 1}},
    "PageSize": {"name": "pageSize", "in": "query", "required": False, "description": "Items per page.",
                 "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 25}},
    "Keywords": {"name": "keywords", "in": "query", "required": False,
                 "description": "Case-insensitive substring matched against the resource's name-like fields; empty means no filter.",
                 "schema": {"type": "string", "maxLength": 200}},
    "OrganisationFilter": {"name": "organisation", "in": "query", "required": False,
                           "description": "Only the items of this organisation (id or name); an unknown organisation is a 404.",
                           "schema": {"type": "string"}},
    "OrganisationId": {"name": "id", "in": "path", "required": True, "description": "Organisation id or name.",
                       "schema": {"type": "string"}},
    "ApplicationId": {"name": "id", "in": "path", "required": True, "description": "Application id or client id.",
                      "schema": {"type": "string"}},
    "UserId": {"name": "id", "in": "path", "required": True, "description": "User id.",
               "schema": {"type": "string"}},
    "APIKeyId": {"name": "id", "in": "path", "required": True, "description": "API key id.",
                 "schema": {"type": "string"}},
}

parameters["AdminKeyId"] = {"name": "id", "in": "path", "required": True, "description": "Admin key id.",
                          "schema": {"type": "string"}}
parameters["ConsumerCredentialId"] = {"name": "id", "in": "path", "required": True, "description": "Consumer credential id.",
                                     "schema": {"type": "string"}}
parameters["UserFilter"] = {"name": "user", "in": "query", "required": False,
                            "description": "Only the items of this user (id); an unknown user is a 404.", "schema": {"type": "string"}}

PAGING = [ref("PageIndex", "parameters"), ref("PageSize", "parameters"), ref("Keywords", "parameters")]
R = lambda n: ref(n, "responses")

def body(schema_name, desc=None):
    b = {"required": True, "content": json_content(ref(schema_name))}
    if desc:
        b["description"] = desc
    return b

def ok(desc, schema_name, status="200"):
    return {status: {"description": desc, "content": json_content(ref(schema_name))}}

def op(opid, summary, tag, responses_, description=None, params=None, request_body=None, body_errors=False):
    o = {"operationId": opid, "summary": summary, "tags": [tag]}
    if description:
        o["description"] = description
    if params:
        o["parameters"] = params
    if request_body:
        o["requestBody"] = request_body
    r = dict(responses_)
    if body_errors or params:
        r.setdefault("400", R("BadRequest"))
    r["401"] = R("Unauthorized")
    r["429"] = R("TooManyRequests")
    r["503"] = R("ServiceUnavailable")
    if body_errors:
        r["413"] = R("PayloadTooLarge")
        r["415"] = R("UnsupportedMediaType")
    o["responses"] = dict(sorted(r.items()))
    return o

schemas["SigningKey"] = {
    "type": "object",
    "required": ["kid", "algorithm", "state", "createdAt"],
    "properties": {
        "kid": {"type": "string"},
        "algorithm": {"type": "string", "enum": ["ES256", "RS256", "EdDSA"]},
        "state": {"type": "string", "enum": ["active", "published", "retired"]},
        "createdAt": DATE_TIME,
        "retireAfter": dict(DATE_TIME, description="For a published key: when it leaves JWKS."),
    },
}
schemas["SigningKeyList"] = {
    "type": "object", "required": ["items"],
    "properties": {"items": {"type": "array", "items": ref("SigningKey")}},
}
schemas["SigningKeyRotation"] = {
    "type": "object", "additionalProperties": False,
    "properties": {"algorithm": {"type": "string", "enum": ["ES256", "RS256", "EdDSA"],
                                 "description": "The new key's algorithm; the server's --signing-alg when absent."}},
}

paths = {
    "/admin/v1/orgs": {
        "get": op("listOrganisations", "List organisations", "Organisations",
                  ok("A page of organisations.", "OrganisationPage"), params=PAGING),
        "post": op("createOrganisation", "Create an organisation", "Organisations",
                   {**ok("The new organisation.", "Organisation", "201"),
                    "409": error_response("The name is taken.", {"error": "conflict", "message": "an organisation named 'acme' exists"})},
                   request_body=body("OrganisationInput"), body_errors=True),
    },
    "/admin/v1/orgs/{id}": {
        "parameters": [ref("OrganisationId", "parameters")],
        "get": op("getOrganisation", "Show an organisation", "Organisations",
                  {**ok("The organisation.", "Organisation"), "404": R("NotFound")}),
        "patch": op("updateOrganisation", "Update an organisation", "Organisations",
                    {**ok("The updated organisation.", "Organisation"), "404": R("NotFound"),
                     "409": error_response("The new name is taken, or the `default` organisation would be renamed.",
                                           {"error": "conflict", "message": "the 'default' organisation cannot be renamed"})},
                    description="JSON merge patch (RFC 7396) sent as `application/json`.",
                    request_body=body("OrganisationPatch"), body_errors=True),
        "delete": op("deleteOrganisation", "Delete an organisation", "Organisations",
                     {"204": {"description": "Deleted."}, "404": R("NotFound"),
                      "409": error_response("The organisation still holds applications or users, or it is the `default` organisation.",
                                            {"error": "conflict", "message": "the 'default' organisation cannot be deleted"})},
                     description="Only an organisation without applications or users can be deleted; `default` never can."),
    },
    "/admin/v1/apps": {
        "get": op("listApplications", "List applications", "Applications",
                  {**ok("A page of applications (never with secrets).", "ApplicationPage"), "404": R("NotFound")},
                  params=PAGING + [ref("OrganisationFilter", "parameters")]),
        "post": op("createApplication", "Create an application", "Applications",
                   {**ok("The new application with its client secret, shown only in this answer.", "IssuedApplication", "201"),
                    "404": error_response("The organisation does not exist.", {"error": "not_found", "message": "no organisation 'acme'"}),
                    "409": error_response("The organisation already holds `maxApplications` applications (`quota_exceeded`).",
                                          {"error": "quota_exceeded", "message": "the organisation may hold at most 5 applications"})},
                   request_body=body("ApplicationInput"), body_errors=True),
    },
    "/admin/v1/apps/{id}": {
        "parameters": [ref("ApplicationId", "parameters")],
        "get": op("getApplication", "Show an application", "Applications",
                  {**ok("The application (never with its secret).", "Application"), "404": R("NotFound")}),
        "patch": op("updateApplication", "Update an application", "Applications",
                    {**ok("The updated application.", "Application"), "404": R("NotFound")},
                    description="JSON merge patch (RFC 7396) sent as `application/json`. `organisation` cannot be changed; `disabled` can.",
                    request_body=body("ApplicationPatch"), body_errors=True),
        "delete": op("deleteApplication", "Delete an application", "Applications",
                     {"204": {"description": "Deleted."}, "404": R("NotFound")}),
    },
    "/admin/v1/apps/{id}/secret": {
        "parameters": [ref("ApplicationId", "parameters")],
        "post": op("regenerateApplicationSecret", "Regenerate an application's client secret", "Applications",
                   {**ok("The new client secret, shown only in this answer.", "RegeneratedSecret"), "404": R("NotFound")},
                   description="Issues a new client secret; the previous one stops working at once. No request body."),
    },
    "/admin/v1/users": {
        "get": op("listUsers", "List users", "Users",
                  {**ok("A page of users (never with passwords).", "UserPage"), "404": R("NotFound")},
                  params=PAGING + [ref("OrganisationFilter", "parameters")],
                  description="Keywords match the username. Ordered by creation."),
        "post": op("createUser", "Create a user", "Users",
                   {**ok("The new user (without its password).", "User", "201"),
                    "404": error_response("The organisation does not exist.", {"error": "not_found", "message": "no organisation 'acme'"}),
                    "409": error_response("The username is taken in the organisation, or by another API user.",
                                          {"error": "conflict", "message": "the username 'alice' is taken"}),
                    "503": R("ServiceUnavailable")},
                   request_body=body("UserInput"), body_errors=True),
    },
    "/admin/v1/users/{id}": {
        "parameters": [ref("UserId", "parameters")],
        "get": op("getUser", "Show a user", "Users",
                  {**ok("The user (never with its password).", "User"), "404": R("NotFound")}),
        "patch": op("updateUser", "Update a user", "Users",
                    {**ok("The updated user.", "User"), "404": R("NotFound"),
                     "409": error_response("The new username is taken.", {"error": "conflict", "message": "the username 'alice' is taken"}),
                     "503": R("ServiceUnavailable")},
                    description="JSON merge patch (RFC 7396) sent as `application/json`. `organisation` cannot be changed. A new password or `disabled: true` revokes the user's refresh tokens.",
                    request_body=body("UserPatch"), body_errors=True),
        "delete": op("deleteUser", "Delete a user", "Users",
                     {"204": {"description": "Deleted, with its refresh tokens."}, "404": R("NotFound")}),
    },
    "/admin/v1/apikeys": {
        "get": op("listAPIKeys", "List API keys", "API keys",
                  {**ok("A page of API keys (never with the keys).", "APIKeyPage"), "404": R("NotFound")},
                  params=PAGING + [ref("OrganisationFilter", "parameters")],
                  description="Keywords match the name, description and key prefix. Ordered by creation."),
        "post": op("createAPIKey", "Create an API key", "API keys",
                   {**ok("The new API key with the key itself, shown only in this answer.", "IssuedAPIKey", "201"),
                    "404": error_response("The owning application or user does not exist.", {"error": "not_found", "message": "no application 'shop'"})},
                   description="Exactly one owner (`application` or `user`); the key belongs to its organisation. An application's key holds a subset of the application's scopes (all of them by default).",
                   request_body=body("APIKeyInput"), body_errors=True),
    },
    "/admin/v1/apikeys/{id}": {
        "parameters": [ref("APIKeyId", "parameters")],
        "get": op("getAPIKey", "Show an API key", "API keys",
                  {**ok("The API key (never with the key).", "APIKey"), "404": R("NotFound")}),
        "patch": op("updateAPIKey", "Update an API key", "API keys",
                    {**ok("The updated API key.", "APIKey"), "404": R("NotFound")},
                    description="JSON merge patch (RFC 7396) sent as `application/json`. The owner and the key cannot be changed.",
                    request_body=body("APIKeyPatch"), body_errors=True),
        "delete": op("deleteAPIKey", "Delete an API key", "API keys",
                     {"204": {"description": "Deleted; the key stops working at once."}, "404": R("NotFound")}),
    },
    "/admin/v1/admin-keys": {
        "get": op("listAdminKeys", "List admin keys", "Admin keys",
                  ok("A page of admin keys (never with the keys).", "AdminKeyPage"),
                  params=PAGING, description="Keywords match the name and key prefix. Ordered by creation."),
        "post": op("createAdminKey", "Create an admin key", "Admin keys",
                   ok("The new admin key with the key itself, shown only in this answer.", "IssuedAdminKey", "201"),
                   description="An operator key (no organisation scope yet), optionally expiring.",
                   request_body=body("AdminKeyInput"), body_errors=True),
    },
    "/admin/v1/admin-keys/{id}": {
        "parameters": [ref("AdminKeyId", "parameters")],
        "get": op("getAdminKey", "Show an admin key", "Admin keys",
                  {**ok("The admin key (never with the key).", "AdminKey"), "404": R("NotFound")}),
        "patch": op("updateAdminKey", "Update an admin key", "Admin keys",
                    {**ok("The updated admin key.", "AdminKey"), "404": R("NotFound"),
                     "409": error_response("The key is the last usable admin key and would stop being usable.",
                                           {"error": "conflict", "message": "the last usable admin key cannot be disabled, expired or deleted: create another one first"})},
                    description="JSON merge patch (RFC 7396) sent as `application/json`. A disabled key is refused from the next request on, on every instance; the key a request authenticates with may disable itself while another key stays usable.",
                    request_body=body("AdminKeyPatch"), body_errors=True),
        "delete": op("deleteAdminKey", "Delete an admin key", "Admin keys",
                     {"204": {"description": "Deleted; the key stops working at once on every instance."}, "404": R("NotFound"),
                      "409": error_response("The key is the last usable admin key.",
                                            {"error": "conflict", "message": "the last usable admin key cannot be disabled, expired or deleted: create another one first"})}),
    },
    "/admin/v1/keys": {
        "get": op("listSigningKeys", "List signing keys", "Signing keys",
                  ok("Every signing key, newest first: public facts only.", "SigningKeyList"),
                  description="`active` signs; `published` still verifies and stays in JWKS until `retireAfter`; `retired` is gone."),
    },
    "/admin/v1/keys/rotate": {
        "post": op("rotateSigningKey", "Rotate the signing key", "Signing keys",
                   ok("The new active key.", "SigningKey", status="201"),
                   description="A new key signs from now on; the previous one stays published for 24 h + 1 min (the longest token lifetime). The body is optional.",
                   request_body={"required": False, "content": json_content(ref("SigningKeyRotation"))}, body_errors=True),
    },
    "/admin/v1/audit": {
        "get": op("listAuditEvents", "List audit events", "Audit",
                  ok("A page of audit events, newest first.", "AuditEventPage"), params=PAGING,
                  description="The append-only audit log of every change: who, what, when, from which IP."),
    },
}

paths["/admin/v1/consumer-credentials"] = {
    "get": op("listConsumerCredentials", "List consumer credentials", "Consumer credentials",
              {**ok("A page of consumer credentials (never with codes or pass codes).", "ConsumerCredentialPage"), "404": R("NotFound")},
              params=PAGING + [ref("OrganisationFilter", "parameters"), ref("UserFilter", "parameters")],
              description="Keywords match the identifier and the kind. Ordered by creation."),
    "post": op("createConsumerCredential", "Create a consumer credential", "Consumer credentials",
               {**ok("The new credential's id with its generated code or pass code, shown only in this answer.", "IssuedConsumerCredential", "201"),
                "404": error_response("The user does not exist.", {"error": "not_found", "message": "no user '3f0c…'"}),
                "409": error_response("The identifier is taken in the user's organisation.",
                                      {"error": "conflict", "message": "the identifier '4111-2222' is taken in this organisation"}),
                "503": R("ServiceUnavailable")},
               description="`{\"user\", \"kind\": \"authentication_code\"}` answers `{\"id\", \"authentication_code\"}`; `{\"user\", \"kind\": \"pass_code\", \"identifier\"}` answers `{\"id\", \"identifier\", \"pass_code\"}`.",
               request_body=body("ConsumerCredentialInput"), body_errors=True),
}
paths["/admin/v1/consumer-credentials/{id}"] = {
    "parameters": [ref("ConsumerCredentialId", "parameters")],
    "get": op("getConsumerCredential", "Show a consumer credential", "Consumer credentials",
              {**ok("The credential (never with its code or pass code).", "ConsumerCredential"), "404": R("NotFound")}),
    "patch": op("updateConsumerCredential", "Disable or enable a consumer credential", "Consumer credentials",
                {**ok("The updated credential.", "ConsumerCredential"), "404": R("NotFound")},
                description="JSON merge patch (RFC 7396) sent as `application/json`; only `disabled`. Consumer tokens already issued run out within their two hours.",
                request_body=body("ConsumerCredentialPatch"), body_errors=True),
    "delete": op("deleteConsumerCredential", "Delete a consumer credential", "Consumer credentials",
                 {"204": {"description": "Deleted."}, "404": R("NotFound")}),
}

doc = {
    "openapi": "3.1.0",
    "info": {
        "title": "Gatehouse Admin API",
        "version": "1",
        "description": "Manage Gatehouse organisations, applications, users and API keys and read the audit log. Every request needs `Authorization: Bearer <admin key>`. Bodies are JSON (`Content-Type: application/json`, at most 64 KiB by default); unknown fields are refused. Answers are JSON with `Cache-Control: no-store`. Client secrets appear only in the answers of create and regenerate, API keys only in the answer of create; passwords never appear in any answer.",
    },
    "servers": [{"url": "/"}],
    "security": [{"adminKey": []}],
    "tags": [
        {"name": "Organisations", "description": "Tenancy partitions (`default` always exists)."},
        {"name": "Signing keys", "description": "The keys that sign access tokens, and their rotation."},
        {"name": "Applications", "description": "OAuth clients and app authorizations."},
        {"name": "Users", "description": "Resource owners, customers and API users."},
        {"name": "Consumer credentials", "description": "Consumers' authentication codes and identifier + pass code pairs, for the consumer application key flow."},
        {"name": "API keys", "description": "Named, scoped, expiring long-lived keys of applications and users."},
        {"name": "Admin keys", "description": "The admin API's own keys: listed, disabled, expired and deleted; never all revoked at once."},
        {"name": "Audit", "description": "The audit log, with a rate-limited row for failed admin authentications."},
    ],
    "paths": paths,
    "components": {
        "securitySchemes": {
            "adminKey": {
                "type": "http", "scheme": "bearer", "bearerFormat": "ghadm_ + 49 base62 characters",
                "description": "An admin API key: `ghadm_` followed by 49 base62 characters (256 random bits and a checksum).",
            }
        },
        "parameters": parameters,
        "responses": responses,
        "schemas": schemas,
    },
}

# The document is compiled into the binary, so a copied executable still serves it.
import os
text = json.dumps(doc, indent=2, ensure_ascii=False)
assert '"""##' not in text
target = os.path.join(os.path.dirname(__file__), "..", "Sources", "GatehouseServer", "Admin", "AdminOpenAPIDocument.swift")
with open(target, "w") as f:
    f.write('''/// The OpenAPI 3.1 document of the admin API, served at `/admin/openapi.json`.
///
/// Generated by scripts/generate-openapi.py (edit that, then run it); kept in the binary, not a
/// bundle resource, so a copied `gatehouse` executable still serves it. A test checks that every
/// admin route of the router is described here.
enum AdminOpenAPIDocument {
    static let json = ##"""
''' + text + '''
"""##
}
''')
