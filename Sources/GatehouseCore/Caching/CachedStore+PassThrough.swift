import Foundation

/// The reads and writes ``CachedStore`` leaves to its base store unchanged.
extension CachedStore {
    public func ping() async throws { try await base.ping() }

    public func insertSettingIfAbsent(_ name: String, value: Data) async throws -> Data {
        try await base.insertSettingIfAbsent(name, value: value)
    }

    public func insertOrganisation(_ organisation: Organisation, audit: AuditEvent) async throws {
        try await base.insertOrganisation(organisation, audit: audit)
    }

    public func organisation(id: String) async throws -> Organisation? { try await base.organisation(id: id) }
    public func organisation(name: String) async throws -> Organisation? { try await base.organisation(name: name) }
    public func organisations(_ page: PageRequest) async throws -> Page<Organisation> { try await base.organisations(page) }

    public func applications(organisationId: String?, _ page: PageRequest) async throws -> Page<Application> {
        try await base.applications(organisationId: organisationId, page)
    }

    public func insertAdminKeyIfAbsent(_ key: AdminKey, audit: AuditEvent) async throws -> Bool {
        try await base.insertAdminKeyIfAbsent(key, audit: audit)
    }

    public func adminKey(hash: String) async throws -> AdminKey? { try await base.adminKey(hash: hash) }
    public func adminKeyCount() async throws -> Int { try await base.adminKeyCount() }
    public func adminKey(id: String) async throws -> AdminKey? { try await base.adminKey(id: id) }
    public func adminKeys(_ page: PageRequest) async throws -> Page<AdminKey> { try await base.adminKeys(page) }
    public func updateAdminKey(_ key: AdminKey, keepingOneUsableAt now: Date, audit: AuditEvent) async throws {
        try await base.updateAdminKey(key, keepingOneUsableAt: now, audit: audit)
    }
    public func deleteAdminKey(id: String, keepingOneUsableAt now: Date, audit: AuditEvent) async throws {
        try await base.deleteAdminKey(id: id, keepingOneUsableAt: now, audit: audit)
    }
    public func recordAdminKeyUse(_ lastUsed: [String: Date]) async throws { try await base.recordAdminKeyUse(lastUsed) }
    public func auditEvents(_ page: PageRequest) async throws -> Page<AuditEvent> { try await base.auditEvents(page) }
    public func insertAuditEvents(_ events: [AuditEvent]) async throws { try await base.insertAuditEvents(events) }

    public func user(organisationId: String, username: String) async throws -> User? {
        try await base.user(organisationId: organisationId, username: username)
    }

    public func users(organisationId: String?, _ page: PageRequest) async throws -> Page<User> {
        try await base.users(organisationId: organisationId, page)
    }

    public func insertRefreshToken(_ token: RefreshToken) async throws { try await base.insertRefreshToken(token) }
    public func refreshToken(hash: String) async throws -> RefreshToken? { try await base.refreshToken(hash: hash) }

    public func rotateRefreshToken(hash: String, applicationId: String, now: Date, successor: RefreshTokenSuccessor) async throws
        -> RefreshTokenConsumption {
        try await base.rotateRefreshToken(hash: hash, applicationId: applicationId, now: now, successor: successor)
    }

    public func narrowRefreshTokenScopes(hash: String, to scopes: [String]) async throws {
        try await base.narrowRefreshTokenScopes(hash: hash, to: scopes)
    }

    public func revokeRefreshFamily(id familyId: String) async throws { try await base.revokeRefreshFamily(id: familyId) }
    public func revokeRefreshTokens(applicationId: String) async throws { try await base.revokeRefreshTokens(applicationId: applicationId) }
    public func revokeRefreshTokens(userId: String) async throws { try await base.revokeRefreshTokens(userId: userId) }

    public func signingKeys() async throws -> [StoredSigningKey] { try await base.signingKeys() }
    public func allSigningKeys() async throws -> [StoredSigningKey] { try await base.allSigningKeys() }

    public func rotateSigningKey(to key: StoredSigningKey, retireAfter: Date, audit: AuditEvent) async throws {
        try await base.rotateSigningKey(to: key, retireAfter: retireAfter, audit: audit)
    }

    public func insertAPIKey(_ key: APIKey, audit: AuditEvent) async throws { try await base.insertAPIKey(key, audit: audit) }
    public func apiKey(id: String) async throws -> APIKey? { try await base.apiKey(id: id) }
    public func apiKey(hash: String) async throws -> APIKey? { try await base.apiKey(hash: hash) }
    public func apiKeys(organisationId: String?, _ page: PageRequest) async throws -> Page<APIKey> { try await base.apiKeys(organisationId: organisationId, page) }
    public func updateAPIKey(_ key: APIKey, audit: AuditEvent) async throws { try await base.updateAPIKey(key, audit: audit) }
    public func deleteAPIKey(id: String, audit: AuditEvent) async throws { try await base.deleteAPIKey(id: id, audit: audit) }
    public func recordAPIKeyUse(_ lastUsed: [String: Date]) async throws { try await base.recordAPIKeyUse(lastUsed) }

    public func consumerCredential(organisationId: String, identifier: String) async throws -> ConsumerCredential? {
        try await base.consumerCredential(organisationId: organisationId, identifier: identifier)
    }

    public func consumerCredentials(organisationId: String?, userId: String?, _ page: PageRequest) async throws -> Page<ConsumerCredential> {
        try await base.consumerCredentials(organisationId: organisationId, userId: userId, page)
    }

    @discardableResult
    public func prune(now: Date) async throws -> Int { try await base.prune(now: now) }
}
