/// Every migration, oldest first. Never edit a released one: append a new version.
enum Migrations {
    static let all: [Migration] = [
        Migration(version: 1, name: "organisations, applications, admin keys, audit log") { t in
            [
                "CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
                """
                CREATE TABLE organisations (
                    id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, max_applications \(t.integer),
                    created_at \(t.integer) NOT NULL)
                """,
                """
                CREATE TABLE applications (
                    id TEXT PRIMARY KEY,
                    organisation_id TEXT NOT NULL REFERENCES organisations (id),
                    client_id TEXT NOT NULL UNIQUE, secret_hash TEXT NOT NULL,
                    name TEXT NOT NULL, description TEXT,
                    grant_types TEXT NOT NULL, scopes TEXT NOT NULL, redirect_uris TEXT NOT NULL,
                    authorization_type TEXT NOT NULL, allowed_ips TEXT NOT NULL, allowed_methods TEXT NOT NULL,
                    resources TEXT NOT NULL, session_access TEXT NOT NULL, session_customer TEXT,
                    access_token_ttl \(t.integer) NOT NULL, disabled \(t.boolean) NOT NULL,
                    created_at \(t.integer) NOT NULL, updated_at \(t.integer) NOT NULL)
                """,
                "CREATE INDEX applications_by_organisation ON applications (organisation_id, created_at)",
                """
                CREATE TABLE admin_keys (
                    id TEXT PRIMARY KEY, name TEXT NOT NULL, key_hash TEXT NOT NULL UNIQUE,
                    created_at \(t.integer) NOT NULL)
                """,
                """
                CREATE TABLE audit_events (
                    id TEXT PRIMARY KEY, at \(t.integer) NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
                    target_type TEXT NOT NULL, target_id TEXT NOT NULL, ip TEXT, details TEXT NOT NULL)
                """,
                "CREATE INDEX audit_events_by_time ON audit_events (at)",
            ]
        },
        Migration(version: 2, name: "users, refresh tokens, revocations, signing keys") { t in
            [
                """
                CREATE TABLE users (
                    id TEXT PRIMARY KEY, organisation_id TEXT NOT NULL REFERENCES organisations (id),
                    username TEXT NOT NULL, password_hash TEXT NOT NULL, api_user \(t.boolean) NOT NULL,
                    disabled \(t.boolean) NOT NULL, units TEXT NOT NULL,
                    created_at \(t.integer) NOT NULL, updated_at \(t.integer) NOT NULL,
                    UNIQUE (organisation_id, username))
                """,
                // An API user's username is its client_id, so it must be unique across organisations.
                "CREATE UNIQUE INDEX users_api_username ON users (username) WHERE api_user = TRUE",
                "CREATE INDEX users_by_organisation ON users (organisation_id, created_at)",
                """
                CREATE TABLE refresh_tokens (
                    id TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, family_id TEXT NOT NULL,
                    generation \(t.integer) NOT NULL, application_id TEXT NOT NULL, user_id TEXT,
                    organisation_id TEXT NOT NULL, scopes TEXT NOT NULL,
                    consumed \(t.boolean) NOT NULL, revoked \(t.boolean) NOT NULL,
                    created_at \(t.integer) NOT NULL, expires_at \(t.integer) NOT NULL,
                    family_expires_at \(t.integer) NOT NULL)
                """,
                "CREATE INDEX refresh_tokens_by_family ON refresh_tokens (family_id)",
                "CREATE INDEX refresh_tokens_by_application ON refresh_tokens (application_id)",
                "CREATE INDEX refresh_tokens_by_user ON refresh_tokens (user_id)",
                "CREATE INDEX refresh_tokens_by_expiry ON refresh_tokens (expires_at)",
                "CREATE TABLE revoked_tokens (jti TEXT PRIMARY KEY, expires_at \(t.integer) NOT NULL)",
                "CREATE INDEX revoked_tokens_by_expiry ON revoked_tokens (expires_at)",
                """
                CREATE TABLE signing_keys (
                    kid TEXT PRIMARY KEY, algorithm TEXT NOT NULL, state TEXT NOT NULL, private_key TEXT NOT NULL,
                    created_at \(t.integer) NOT NULL, retire_after \(t.integer))
                """,
                // At most one active key, enforced by the database itself.
                "CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (state) WHERE state = 'active'",
            ]
        },
        Migration(version: 3, name: "API keys, consumer credentials") { t in
            [
                """
                CREATE TABLE api_keys (
                    id TEXT PRIMARY KEY, organisation_id TEXT NOT NULL REFERENCES organisations (id),
                    name TEXT NOT NULL, description TEXT, key_hash TEXT NOT NULL UNIQUE, key_prefix TEXT NOT NULL,
                    application_id TEXT REFERENCES applications (id), user_id TEXT REFERENCES users (id),
                    scopes TEXT NOT NULL, expires_at \(t.integer), last_used_at \(t.integer), disabled \(t.boolean) NOT NULL,
                    created_at \(t.integer) NOT NULL, updated_at \(t.integer) NOT NULL)
                """,
                "CREATE INDEX api_keys_by_organisation ON api_keys (organisation_id, created_at)",
                "CREATE INDEX api_keys_by_application ON api_keys (application_id)",
                "CREATE INDEX api_keys_by_user ON api_keys (user_id)",
                """
                CREATE TABLE consumer_credentials (
                    id TEXT PRIMARY KEY, organisation_id TEXT NOT NULL REFERENCES organisations (id),
                    user_id TEXT NOT NULL REFERENCES users (id), kind TEXT NOT NULL, identifier TEXT,
                    secret_hash TEXT NOT NULL, disabled \(t.boolean) NOT NULL, created_at \(t.integer) NOT NULL,
                    UNIQUE (organisation_id, identifier))
                """,
                "CREATE INDEX consumer_credentials_by_user ON consumer_credentials (user_id)",
                // Authentication codes are found by their keyed hash.
                "CREATE INDEX consumer_credentials_by_secret ON consumer_credentials (secret_hash)",
            ]
        },
        // Issue 14 point 8: admin keys can be listed, disabled, given an expiry and revoked. The
        // organisation scope of SPEC §6 is one nullable column (null = operator), not yet enforced.
        Migration(version: 4, name: "admin keys: prefix, expiry, last use, disabled, organisation scope") { t in
            [
                "ALTER TABLE admin_keys ADD COLUMN key_prefix TEXT",
                "ALTER TABLE admin_keys ADD COLUMN organisation_id TEXT REFERENCES organisations (id)",
                "ALTER TABLE admin_keys ADD COLUMN expires_at \(t.integer)",
                "ALTER TABLE admin_keys ADD COLUMN last_used_at \(t.integer)",
                "ALTER TABLE admin_keys ADD COLUMN disabled \(t.boolean) NOT NULL DEFAULT \(t.falseLiteral)",
                "ALTER TABLE admin_keys ADD COLUMN updated_at \(t.integer)",
                "UPDATE admin_keys SET updated_at = created_at",
                "CREATE INDEX admin_keys_by_time ON admin_keys (created_at)",
            ]
        },
        // Issue 15: the example field that shows what adding one costs (docs/architecture.md).
        Migration(version: 5, name: "applications: contact email") { _ in
            ["ALTER TABLE applications ADD COLUMN contact_email TEXT"]
        },
    ]
}
