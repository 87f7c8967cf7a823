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
    ]
}
