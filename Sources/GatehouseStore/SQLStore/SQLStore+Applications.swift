import GatehouseCore
import SQLKit

extension SQLStore {
    public func insertApplication(_ application: Application, audit: AuditEvent) async throws {
        let lockClause = dialect == .postgres ? " FOR UPDATE" : ""
        try await change(audit: audit, conflict: "an application with this client id exists") { database in
            // Lock the organisation row so concurrent inserts count one after another.
            let organisation = try await database.raw(
                "SELECT max_applications FROM organisations WHERE id = \(bind: application.organisationId)" + SQLQueryString(lockClause)
            ).first()
            guard let organisation else { throw DomainError.notFound("organisation '\(application.organisationId)'") }
            if let limit = try organisation.decode(column: "max_applications", as: Int?.self) {
                let count = try await database.raw(
                    "SELECT COUNT(*) AS total FROM applications WHERE organisation_id = \(bind: application.organisationId)"
                ).first()?.decode(column: "total", as: Int.self) ?? 0
                guard count < limit else {
                    throw DomainError.quotaExceeded("the organisation may hold at most \(limit) applications")
                }
            }
            try await database.raw("""
                INSERT INTO applications (
                    id, organisation_id, client_id, secret_hash, name, description, grant_types, scopes, redirect_uris,
                    authorization_type, allowed_ips, allowed_methods, resources, session_access, session_customer,
                    access_token_ttl, disabled, created_at, updated_at, contact_email)
                VALUES (
                    \(bind: application.id), \(bind: application.organisationId), \(bind: application.clientId),
                    \(bind: application.secretHash), \(bind: application.name), \(bind: application.description),
                    \(bind: application.grantTypes.map(\.rawValue).jsonText), \(bind: application.scopes.jsonText),
                    \(bind: application.redirectUris.jsonText), \(bind: application.authorizationType.rawValue),
                    \(bind: application.allowedIPs.map(\.description).jsonText), \(bind: application.allowedMethods.jsonText),
                    \(bind: application.resources.map(\.description).jsonText), \(bind: application.sessionAccess.rawValue),
                    \(bind: application.sessionCustomer), \(bind: application.accessTokenTTL), \(bind: application.disabled),
                    \(bind: application.createdAt.epochMilliseconds), \(bind: application.updatedAt.epochMilliseconds),
                    \(bind: application.contactEmail))
                """).run()
        }
    }

    public func application(id: String) async throws -> Application? {
        try await executor.read { database in
            try await database.raw("SELECT * FROM applications WHERE id = \(bind: id)").first().map(Self.application(from:))
        }
    }

    public func application(clientId: String) async throws -> Application? {
        try await executor.read { database in
            try await database.raw("SELECT * FROM applications WHERE client_id = \(bind: clientId)").first().map(Self.application(from:))
        }
    }

    public func applications(organisationId: String?, _ request: PageRequest) async throws -> Page<Application> {
        let keywords = Self.keywordFilter(request.keywords, columns: ["name", "description", "client_id"])
        let organisation: SQLQueryString? = organisationId.map { "organisation_id = \(bind: $0)" }
        let filters = [organisation, keywords].compactMap { $0 }
        return try await page(
            from: "applications", where: filters.isEmpty ? nil : filters.joined(separator: " AND "),
            orderBy: "created_at, id", request, decode: Self.application(from:)
        )
    }

    public func updateApplication(_ application: Application, audit: AuditEvent) async throws {
        try await change(audit: audit, conflict: "an application with this client id exists") { database in
            let updated = try await database.raw("""
                UPDATE applications SET
                    secret_hash = \(bind: application.secretHash), name = \(bind: application.name),
                    description = \(bind: application.description), contact_email = \(bind: application.contactEmail),
                    grant_types = \(bind: application.grantTypes.map(\.rawValue).jsonText),
                    scopes = \(bind: application.scopes.jsonText), redirect_uris = \(bind: application.redirectUris.jsonText),
                    authorization_type = \(bind: application.authorizationType.rawValue),
                    allowed_ips = \(bind: application.allowedIPs.map(\.description).jsonText),
                    allowed_methods = \(bind: application.allowedMethods.jsonText),
                    resources = \(bind: application.resources.map(\.description).jsonText), session_access = \(bind: application.sessionAccess.rawValue),
                    session_customer = \(bind: application.sessionCustomer), access_token_ttl = \(bind: application.accessTokenTTL),
                    disabled = \(bind: application.disabled), updated_at = \(bind: application.updatedAt.epochMilliseconds)
                WHERE id = \(bind: application.id) RETURNING id
                """).all()
            guard !updated.isEmpty else { throw DomainError.notFound("application '\(application.id)'") }
        }
    }

    public func deleteApplication(id: String, audit: AuditEvent) async throws {
        try await change(audit: audit, conflict: "application in use") { database in
            try await database.raw("DELETE FROM refresh_tokens WHERE application_id = \(bind: id)").run()
            try await database.raw("DELETE FROM api_keys WHERE application_id = \(bind: id)").run()
            let deleted = try await database.raw("DELETE FROM applications WHERE id = \(bind: id) RETURNING id").all()
            guard !deleted.isEmpty else { throw DomainError.notFound("application '\(id)'") }
        }
    }

    static func application(from row: any SQLRow) throws -> Application {
        Application(
            id: try row.decode(column: "id", as: String.self),
            organisationId: try row.decode(column: "organisation_id", as: String.self),
            clientId: try row.decode(column: "client_id", as: String.self),
            secretHash: try row.decode(column: "secret_hash", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            description: try row.decode(column: "description", as: String?.self),
            grantTypes: try row.stringArray("grant_types").compactMap(GrantType.init(rawValue:)),
            scopes: try row.stringArray("scopes"),
            redirectUris: try row.stringArray("redirect_uris"),
            authorizationType: AuthorizationType(rawValue: try row.decode(column: "authorization_type", as: String.self)) ?? .bearer,
            allowedIPs: try row.stringArray("allowed_ips").map(AllowedIP.init),
            allowedMethods: try row.stringArray("allowed_methods"),
            resources: try row.stringArray("resources").map(ResourcePattern.init),
            sessionAccess: SessionAccess(rawValue: try row.decode(column: "session_access", as: String.self)) ?? .none,
            sessionCustomer: try row.decode(column: "session_customer", as: String?.self),
            accessTokenTTL: try row.decode(column: "access_token_ttl", as: Int.self),
            disabled: try row.decode(column: "disabled", as: Bool.self),
            createdAt: try row.date("created_at"),
            updatedAt: try row.date("updated_at"),
            contactEmail: try row.decode(column: "contact_email", as: String?.self)
        )
    }
}
