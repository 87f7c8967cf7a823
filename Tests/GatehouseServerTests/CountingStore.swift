import Foundation
import GatehouseCore
import Synchronization

/// A real store that counts the calls made through it, by method name: lets a test see whether
/// something reached the database (e.g. that a typo'd API key did not), without a mock.
final class CountingStore: Store {
    let base: any Store
    private let counts = Mutex<[String: Int]>([:])
    private let failing = Mutex<String?>(nil)
    private let away = Mutex(false)

    /// What a call made to fail (see ``fail(_:)``) throws, as a database that is away would.
    struct Unavailable: Error {}

    init(_ base: any Store) {
        self.base = base
    }

    /// How often `method` (e.g. `"apiKey(hash:)"`) was called.
    func count(_ method: String) -> Int { counts.withLock { $0[method] ?? 0 } }

    /// Every call so far, by method name.
    var all: [String: Int] { counts.withLock { $0 } }

    func reset() { counts.withLock { $0 = [:] } }

    /// Makes every later call of `method` throw ``Unavailable`` (after being counted); nil stops it.
    func fail(_ method: String?) { failing.withLock { $0 = method } }

    /// Makes every later call throw ``StoreUnavailable``, as the real stores do when the database
    /// is away (SPEC §2), until called with `false`.
    func setAway(_ isAway: Bool) { away.withLock { $0 = isAway } }

    private func counted<Value>(_ method: String = #function, _ body: () async throws -> Value) async throws -> Value {
        counts.withLock { $0[method, default: 0] += 1 }
        if away.withLock({ $0 }) { throw StoreUnavailable(.unreachable) }
        if failing.withLock({ $0 == method }) { throw Unavailable() }
        return try await body()
    }

    func ping() async throws { try await counted { try await base.ping() } }
    func insertSettingIfAbsent(_ name: String, value: Data) async throws -> Data {
        try await counted { try await base.insertSettingIfAbsent(name, value: value) }
    }

    func insertOrganisation(_ organisation: Organisation, audit: AuditEvent) async throws {
        try await counted { try await base.insertOrganisation(organisation, audit: audit) }
    }
    func organisation(id: String) async throws -> Organisation? { try await counted { try await base.organisation(id: id) } }
    func organisation(name: String) async throws -> Organisation? { try await counted { try await base.organisation(name: name) } }
    func organisations(_ page: PageRequest) async throws -> Page<Organisation> { try await counted { try await base.organisations(page) } }
    func updateOrganisation(_ organisation: Organisation, audit: AuditEvent) async throws {
        try await counted { try await base.updateOrganisation(organisation, audit: audit) }
    }
    func deleteOrganisation(id: String, audit: AuditEvent) async throws { try await counted { try await base.deleteOrganisation(id: id, audit: audit) } }

    func insertApplication(_ application: Application, audit: AuditEvent) async throws {
        try await counted { try await base.insertApplication(application, audit: audit) }
    }
    func application(id: String) async throws -> Application? { try await counted { try await base.application(id: id) } }
    func application(clientId: String) async throws -> Application? { try await counted { try await base.application(clientId: clientId) } }
    func applications(organisationId: String?, _ page: PageRequest) async throws -> Page<Application> {
        try await counted { try await base.applications(organisationId: organisationId, page) }
    }
    func updateApplication(_ application: Application, audit: AuditEvent) async throws {
        try await counted { try await base.updateApplication(application, audit: audit) }
    }
    func deleteApplication(id: String, audit: AuditEvent) async throws { try await counted { try await base.deleteApplication(id: id, audit: audit) } }

    func insertAdminKeyIfAbsent(_ key: AdminKey, audit: AuditEvent) async throws -> Bool {
        try await counted { try await base.insertAdminKeyIfAbsent(key, audit: audit) }
    }
    func adminKey(hash: String) async throws -> AdminKey? { try await counted { try await base.adminKey(hash: hash) } }
    func adminKeyCount() async throws -> Int { try await counted { try await base.adminKeyCount() } }
    func adminKey(id: String) async throws -> AdminKey? { try await counted { try await base.adminKey(id: id) } }
    func adminKeys(_ page: PageRequest) async throws -> Page<AdminKey> { try await counted { try await base.adminKeys(page) } }
    func updateAdminKey(_ key: AdminKey, keepingOneUsableAt now: Date, audit: AuditEvent) async throws {
        try await counted { try await base.updateAdminKey(key, keepingOneUsableAt: now, audit: audit) }
    }
    func deleteAdminKey(id: String, keepingOneUsableAt now: Date, audit: AuditEvent) async throws {
        try await counted { try await base.deleteAdminKey(id: id, keepingOneUsableAt: now, audit: audit) }
    }
    func recordAdminKeyUse(_ lastUsed: [String: Date]) async throws { try await counted { try await base.recordAdminKeyUse(lastUsed) } }
    func insertAuditEvents(_ events: [AuditEvent]) async throws { try await counted { try await base.insertAuditEvents(events) } }

    func auditEvents(_ page: PageRequest) async throws -> Page<AuditEvent> { try await counted { try await base.auditEvents(page) } }

    func insertUser(_ user: User, audit: AuditEvent) async throws { try await counted { try await base.insertUser(user, audit: audit) } }
    func user(id: String) async throws -> User? { try await counted { try await base.user(id: id) } }
    func user(organisationId: String, username: String) async throws -> User? {
        try await counted { try await base.user(organisationId: organisationId, username: username) }
    }
    func apiUser(username: String) async throws -> User? { try await counted { try await base.apiUser(username: username) } }
    func users(organisationId: String?, _ page: PageRequest) async throws -> Page<User> {
        try await counted { try await base.users(organisationId: organisationId, page) }
    }
    func updateUser(_ user: User, audit: AuditEvent) async throws { try await counted { try await base.updateUser(user, audit: audit) } }
    func deleteUser(id: String, audit: AuditEvent) async throws { try await counted { try await base.deleteUser(id: id, audit: audit) } }

    func insertRefreshToken(_ token: RefreshToken) async throws { try await counted { try await base.insertRefreshToken(token) } }
    func refreshToken(hash: String) async throws -> RefreshToken? { try await counted { try await base.refreshToken(hash: hash) } }
    func rotateRefreshToken(hash: String, applicationId: String, now: Date, successor: RefreshTokenSuccessor) async throws
        -> RefreshTokenConsumption {
        try await counted { try await base.rotateRefreshToken(hash: hash, applicationId: applicationId, now: now, successor: successor) }
    }
    func narrowRefreshTokenScopes(hash: String, to scopes: [String]) async throws {
        try await counted { try await base.narrowRefreshTokenScopes(hash: hash, to: scopes) }
    }
    func revokeRefreshFamily(id familyId: String) async throws { try await counted { try await base.revokeRefreshFamily(id: familyId) } }
    func revokeRefreshTokens(applicationId: String) async throws {
        try await counted { try await base.revokeRefreshTokens(applicationId: applicationId) }
    }
    func revokeRefreshTokens(userId: String) async throws { try await counted { try await base.revokeRefreshTokens(userId: userId) } }

    func revokeAccessToken(jti: String, expiresAt: Date) async throws {
        try await counted { try await base.revokeAccessToken(jti: jti, expiresAt: expiresAt) }
    }
    func isAccessTokenRevoked(jti: String) async throws -> Bool { try await counted { try await base.isAccessTokenRevoked(jti: jti) } }

    func signingKeys() async throws -> [StoredSigningKey] { try await counted { try await base.signingKeys() } }
    func allSigningKeys() async throws -> [StoredSigningKey] { try await counted { try await base.allSigningKeys() } }
    func rotateSigningKey(to key: StoredSigningKey, retireAfter: Date, audit: AuditEvent) async throws {
        try await counted { try await base.rotateSigningKey(to: key, retireAfter: retireAfter, audit: audit) }
    }

    func insertAPIKey(_ key: APIKey, audit: AuditEvent) async throws { try await counted { try await base.insertAPIKey(key, audit: audit) } }
    func apiKey(id: String) async throws -> APIKey? { try await counted { try await base.apiKey(id: id) } }
    func apiKey(hash: String) async throws -> APIKey? { try await counted { try await base.apiKey(hash: hash) } }
    func apiKeys(organisationId: String?, _ page: PageRequest) async throws -> Page<APIKey> {
        try await counted { try await base.apiKeys(organisationId: organisationId, page) }
    }
    func updateAPIKey(_ key: APIKey, audit: AuditEvent) async throws { try await counted { try await base.updateAPIKey(key, audit: audit) } }
    func deleteAPIKey(id: String, audit: AuditEvent) async throws { try await counted { try await base.deleteAPIKey(id: id, audit: audit) } }
    func recordAPIKeyUse(_ lastUsed: [String: Date]) async throws { try await counted { try await base.recordAPIKeyUse(lastUsed) } }

    func insertConsumerCredential(_ credential: ConsumerCredential, audit: AuditEvent) async throws {
        try await counted { try await base.insertConsumerCredential(credential, audit: audit) }
    }
    func consumerCredential(id: String) async throws -> ConsumerCredential? { try await counted { try await base.consumerCredential(id: id) } }
    func consumerCredential(secretHash: String) async throws -> ConsumerCredential? {
        try await counted { try await base.consumerCredential(secretHash: secretHash) }
    }
    func consumerCredential(organisationId: String, identifier: String) async throws -> ConsumerCredential? {
        try await counted { try await base.consumerCredential(organisationId: organisationId, identifier: identifier) }
    }
    func consumerCredentials(organisationId: String?, userId: String?, _ page: PageRequest) async throws -> Page<ConsumerCredential> {
        try await counted { try await base.consumerCredentials(organisationId: organisationId, userId: userId, page) }
    }
    func updateConsumerCredential(_ credential: ConsumerCredential, audit: AuditEvent) async throws {
        try await counted { try await base.updateConsumerCredential(credential, audit: audit) }
    }
    func deleteConsumerCredential(id: String, audit: AuditEvent) async throws {
        try await counted { try await base.deleteConsumerCredential(id: id, audit: audit) }
    }

    @discardableResult
    func prune(now: Date) async throws -> Int { try await counted { try await base.prune(now: now) } }

    func listenForChanges(_ handler: @escaping @Sendable (String) -> Void) async throws { try await base.listenForChanges(handler) }
    func announce(_ message: String) async throws { try await base.announce(message) }
}
