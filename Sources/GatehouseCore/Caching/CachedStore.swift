import Foundation

/// A ``Store`` that answers the hot paths' reads from memory: applications (by id and client
/// id), users (by id and API username), consumer credentials (authentication codes by hash, any
/// by id: a consumer token's source) and access-token revocations. With it a JWT check, a client-credentials token, an introspection
/// and a consumer token touch no database once warm.
///
/// Entries never outlive a change:
/// - a change made through this store drops the affected cache before it returns (a revocation
///   is recorded as revoked at once);
/// - a change announced by another instance (``listenForChanges(_:)``: PostgreSQL NOTIFY, or an
///   embedded SQLite file written by another process) drops the affected cache before the
///   handler runs;
/// - a read that was under way during a change is not cached;
/// - every entry is believed for at most `lifetime` (60 s) even without any announcement (a row
///   edited by hand in the database);
/// - no entry answers while the change feed cannot vouch that nothing was missed
///   (``ChangeFeedTrust``): reads then go to the database, which answers or is unavailable.
///
/// Everything else passes straight through to `base` (``StoreWrapper``'s forwarding).
public final class CachedStore: StoreWrapper {
    public let base: any Store
    private let clock: @Sendable () -> Date
    private let applicationsById: ReadCache<Application>
    private let applicationsByClientId: ReadCache<Application>
    private let usersById: ReadCache<User>
    private let apiUsersByName: ReadCache<User>
    private let revocations: ReadCache<Bool>
    private let consumerCredentialsByHash: ReadCache<ConsumerCredential>
    private let consumerCredentialsById: ReadCache<ConsumerCredential>
    /// How far the change feed vouches for what is cached.
    public let trust: ChangeFeedTrust

    public static let defaultLifetime: TimeInterval = 60

    /// `trust` is how far the change feed vouches for the caches: by default, whatever `base`'s feed
    /// needs (``ChangeFeed/changeFeedNeedsVouching``).
    public init(
        _ base: any Store, capacity: Int = 10_000, lifetime: TimeInterval = CachedStore.defaultLifetime,
        trust: ChangeFeedTrust? = nil, clock: @escaping @Sendable () -> Date = Date.init
    ) {
        self.base = base
        self.clock = clock
        self.trust = trust ?? ChangeFeedTrust(needsVouching: base.changeFeedNeedsVouching)
        applicationsById = ReadCache(capacity: capacity, lifetime: lifetime)
        applicationsByClientId = ReadCache(capacity: capacity, lifetime: lifetime)
        usersById = ReadCache(capacity: capacity, lifetime: lifetime)
        apiUsersByName = ReadCache(capacity: capacity, lifetime: lifetime)
        // A jti is short; revocation answers are the most asked (one per JWT check).
        revocations = ReadCache(capacity: capacity * 5, lifetime: lifetime)
        consumerCredentialsByHash = ReadCache(capacity: capacity, lifetime: lifetime)
        consumerCredentialsById = ReadCache(capacity: capacity, lifetime: lifetime)
    }

    // MARK: Invalidation

    /// Drops what a change to `targetType` (an audit target type, `revocation`, or `*`) may have made stale.
    public func invalidate(_ targetType: String) {
        switch targetType {
        case "application": dropApplications()
        case "user":
            // Deleting a user deletes its consumer credentials too.
            dropUsers()
            dropConsumerCredentials()
        case "revocation": revocations.removeAll()
        case "consumercredential": dropConsumerCredentials()
        case "apikey", "adminkey", "signingkey": break
        default: // "organisation", "*" and anything new
            dropApplications()
            dropUsers()
            revocations.removeAll()
            dropConsumerCredentials()
        }
    }

    private func dropApplications() {
        applicationsById.removeAll()
        applicationsByClientId.removeAll()
    }

    private func dropUsers() {
        usersById.removeAll()
        apiUsersByName.removeAll()
    }

    private func dropConsumerCredentials() {
        consumerCredentialsByHash.removeAll()
        consumerCredentialsById.removeAll()
    }

    /// Runs `change` and then drops the caches it affects (also when it failed part-way).
    private func changing<T>(_ targetType: String, _ change: () async throws -> T) async throws -> T {
        defer { invalidate(targetType) }
        return try await change()
    }

    public func listenForChanges(_ handler: @escaping @Sendable (String) -> Void) async throws {
        try await base.listenForChanges { [weak self] targetType in
            if let moment = ChangeFeedTrust.vouchedMoment(targetType) {
                self?.trust.vouch(upTo: moment)
                return
            }
            // A throttle lock changes no data: the caches stay.
            if !ThrottleLock.isLock(targetType) { self?.invalidate(targetType) }
            handler(targetType)
        }
    }

    public func cachesAreTrusted(now: Date) -> Bool { trust.trusts(now: now) }

    // MARK: Cached reads

    public func application(id: String) async throws -> Application? {
        try await applicationsById.value(id, now: clock(), trust: trust) { try await base.application(id: id) }
    }

    public func application(clientId: String) async throws -> Application? {
        try await applicationsByClientId.value(clientId, now: clock(), trust: trust) { try await base.application(clientId: clientId) }
    }

    public func user(id: String) async throws -> User? {
        try await usersById.value(id, now: clock(), trust: trust) { try await base.user(id: id) }
    }

    public func apiUser(username: String) async throws -> User? {
        try await apiUsersByName.value(username, now: clock(), trust: trust) { try await base.apiUser(username: username) }
    }

    public func isAccessTokenRevoked(jti: String) async throws -> Bool {
        try await revocations.value(jti, now: clock(), trust: trust) { try await base.isAccessTokenRevoked(jti: jti) } ?? false
    }

    public func consumerCredential(secretHash: String) async throws -> ConsumerCredential? {
        try await consumerCredentialsByHash.value(secretHash, now: clock(), trust: trust) { try await base.consumerCredential(secretHash: secretHash) }
    }

    public func consumerCredential(id: String) async throws -> ConsumerCredential? {
        try await consumerCredentialsById.value(id, now: clock(), trust: trust) { try await base.consumerCredential(id: id) }
    }

    public func revokeAccessToken(jti: String, expiresAt: Date) async throws {
        do {
            try await base.revokeAccessToken(jti: jti, expiresAt: expiresAt)
        } catch {
            // It may have been stored all the same: ask the database next time.
            revocations.removeAll()
            throw error
        }
        revocations.set(jti, true, now: clock())
    }

    // MARK: Changes that drop cached entries

    public func insertApplication(_ application: Application, audit: AuditEvent) async throws {
        try await changing("application") { try await base.insertApplication(application, audit: audit) }
    }

    public func updateApplication(_ application: Application, audit: AuditEvent) async throws {
        try await changing("application") { try await base.updateApplication(application, audit: audit) }
    }

    public func deleteApplication(id: String, audit: AuditEvent) async throws {
        try await changing("application") { try await base.deleteApplication(id: id, audit: audit) }
    }

    public func updateOrganisation(_ organisation: Organisation, audit: AuditEvent) async throws {
        try await changing("organisation") { try await base.updateOrganisation(organisation, audit: audit) }
    }

    public func deleteOrganisation(id: String, audit: AuditEvent) async throws {
        try await changing("organisation") { try await base.deleteOrganisation(id: id, audit: audit) }
    }

    public func insertUser(_ user: User, audit: AuditEvent) async throws {
        try await changing("user") { try await base.insertUser(user, audit: audit) }
    }

    public func updateUser(_ user: User, audit: AuditEvent) async throws {
        try await changing("user") { try await base.updateUser(user, audit: audit) }
    }

    public func deleteUser(id: String, audit: AuditEvent) async throws {
        try await changing("user") { try await base.deleteUser(id: id, audit: audit) }
    }

    public func insertConsumerCredential(_ credential: ConsumerCredential, audit: AuditEvent) async throws {
        try await changing("consumercredential") { try await base.insertConsumerCredential(credential, audit: audit) }
    }

    public func updateConsumerCredential(_ credential: ConsumerCredential, audit: AuditEvent) async throws {
        try await changing("consumercredential") { try await base.updateConsumerCredential(credential, audit: audit) }
    }

    public func deleteConsumerCredential(id: String, audit: AuditEvent) async throws {
        try await changing("consumercredential") { try await base.deleteConsumerCredential(id: id, audit: audit) }
    }
}
