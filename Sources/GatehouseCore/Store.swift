import Foundation

/// Everything the domain needs from storage. One implementation per database (SQLite, PostgreSQL),
/// all held to one conformance test suite.
///
/// Every change takes the ``AuditEvent`` that records it, and a store writes both in one
/// transaction: a change without its audit entry cannot happen.
public protocol Store: Sendable {
    /// Succeeds when the database answers a trivial query.
    func ping() async throws

    // MARK: Server settings

    /// Stores `value` under `name` unless a value is already there; returns the stored value.
    func insertSettingIfAbsent(_ name: String, value: Data) async throws -> Data

    // MARK: Organisations

    /// Throws ``DomainError/conflict(_:)`` when the name is taken.
    func insertOrganisation(_ organisation: Organisation, audit: AuditEvent) async throws
    func organisation(id: String) async throws -> Organisation?
    func organisation(name: String) async throws -> Organisation?
    func organisations(_ page: PageRequest) async throws -> Page<Organisation>
    /// Throws ``DomainError/notFound(_:)`` or ``DomainError/conflict(_:)`` (name taken).
    func updateOrganisation(_ organisation: Organisation, audit: AuditEvent) async throws
    /// Throws ``DomainError/notFound(_:)``, or ``DomainError/conflict(_:)`` while it still holds applications.
    func deleteOrganisation(id: String, audit: AuditEvent) async throws

    // MARK: Applications

    /// Checks the organisation's `maxApplications` atomically with the insert: throws
    /// ``DomainError/quotaExceeded(_:)`` past it, ``DomainError/notFound(_:)`` for no organisation.
    func insertApplication(_ application: Application, audit: AuditEvent) async throws
    func application(id: String) async throws -> Application?
    func application(clientId: String) async throws -> Application?
    func applications(organisationId: String?, _ page: PageRequest) async throws -> Page<Application>
    /// Throws ``DomainError/notFound(_:)``.
    func updateApplication(_ application: Application, audit: AuditEvent) async throws
    /// Throws ``DomainError/notFound(_:)``.
    func deleteApplication(id: String, audit: AuditEvent) async throws

    // MARK: Admin keys

    /// Adds `key` unless one with the same hash exists; returns whether it was added.
    func insertAdminKeyIfAbsent(_ key: AdminKey, audit: AuditEvent) async throws -> Bool
    func adminKey(hash: String) async throws -> AdminKey?
    func adminKey(id: String) async throws -> AdminKey?
    func adminKeys(_ page: PageRequest) async throws -> Page<AdminKey>
    /// Every admin key, usable or not.
    func adminKeyCount() async throws -> Int
    /// Throws ``DomainError/notFound(_:)``, or ``DomainError/conflict(_:)`` when the change would
    /// leave no admin key usable at `now` (checked atomically with the change).
    func updateAdminKey(_ key: AdminKey, keepingOneUsableAt now: Date, audit: AuditEvent) async throws
    /// Throws ``DomainError/notFound(_:)``, or ``DomainError/conflict(_:)`` for the last key usable at `now`.
    func deleteAdminKey(id: String, keepingOneUsableAt now: Date, audit: AuditEvent) async throws
    /// Records when admin keys were last used, in one batch (no write per request).
    func recordAdminKeyUse(_ lastUsed: [String: Date]) async throws

    // MARK: Audit log

    func auditEvents(_ page: PageRequest) async throws -> Page<AuditEvent>
    /// Appends entries that record no change (failed admin authentications), in one transaction.
    func insertAuditEvents(_ events: [AuditEvent]) async throws

    // MARK: Users

    /// Throws ``DomainError/conflict(_:)`` when the username is taken in the organisation (or,
    /// for an API user, by any API user).
    func insertUser(_ user: User, audit: AuditEvent) async throws
    func user(id: String) async throws -> User?
    func user(organisationId: String, username: String) async throws -> User?
    /// The API user with this username, in any organisation.
    func apiUser(username: String) async throws -> User?
    func users(organisationId: String?, _ page: PageRequest) async throws -> Page<User>
    /// Throws ``DomainError/notFound(_:)`` or ``DomainError/conflict(_:)``.
    func updateUser(_ user: User, audit: AuditEvent) async throws
    /// Deletes the user and its refresh tokens. Throws ``DomainError/notFound(_:)``.
    func deleteUser(id: String, audit: AuditEvent) async throws

    // MARK: Refresh tokens

    func insertRefreshToken(_ token: RefreshToken) async throws
    func refreshToken(hash: String) async throws -> RefreshToken?
    /// Rotation (RFC 9700 §4.14.2), atomically and without reading the token first: consumes the
    /// token with `hash` if it belongs to `applicationId` and is usable at `now`, and stores its
    /// next generation, made of `successor` and what it inherits from the consumed row (its scopes
    /// included: ``narrowRefreshTokenScopes(hash:to:)`` narrows them). `.consumed` carries the row
    /// as it was, now consumed; of concurrent callers exactly one gets it. Presenting an already
    /// consumed token revokes its family (`.reused`), the successor stored a moment before
    /// included. A token of another application is `.invalid` and stays as it was.
    func rotateRefreshToken(hash: String, applicationId: String, now: Date, successor: RefreshTokenSuccessor) async throws
        -> RefreshTokenConsumption
    /// Sets the scopes of the refresh token with `hash` (a successor not yet handed out).
    func narrowRefreshTokenScopes(hash: String, to scopes: [String]) async throws
    func revokeRefreshFamily(id familyId: String) async throws
    /// Revokes every refresh token of an application (secret regenerated, disabled, deleted).
    func revokeRefreshTokens(applicationId: String) async throws
    /// Revokes every refresh token of a user (disabled, password changed, deleted).
    func revokeRefreshTokens(userId: String) async throws

    // MARK: Revoked access tokens

    /// Records a revoked access token's `jti` until the token would have expired.
    func revokeAccessToken(jti: String, expiresAt: Date) async throws
    func isAccessTokenRevoked(jti: String) async throws -> Bool

    // MARK: Signing keys

    /// Every key not yet retired, newest first.
    func signingKeys() async throws -> [StoredSigningKey]
    /// All keys including retired ones, newest first (for the admin list).
    func allSigningKeys() async throws -> [StoredSigningKey]
    /// Makes `key` the active key; the previously active key becomes published until `retireAfter`.
    func rotateSigningKey(to key: StoredSigningKey, retireAfter: Date, audit: AuditEvent) async throws

    // MARK: API keys

    /// Throws ``DomainError/notFound(_:)`` for an unknown organisation, application or user.
    func insertAPIKey(_ key: APIKey, audit: AuditEvent) async throws
    func apiKey(id: String) async throws -> APIKey?
    func apiKey(hash: String) async throws -> APIKey?
    func apiKeys(organisationId: String?, _ page: PageRequest) async throws -> Page<APIKey>
    /// Throws ``DomainError/notFound(_:)``.
    func updateAPIKey(_ key: APIKey, audit: AuditEvent) async throws
    /// Throws ``DomainError/notFound(_:)``.
    func deleteAPIKey(id: String, audit: AuditEvent) async throws
    /// Records when keys were last used, in one batch (no write per request).
    func recordAPIKeyUse(_ lastUsed: [String: Date]) async throws

    // MARK: Consumer credentials

    /// Throws ``DomainError/conflict(_:)`` for a taken identifier, ``DomainError/notFound(_:)`` for an unknown user.
    func insertConsumerCredential(_ credential: ConsumerCredential, audit: AuditEvent) async throws
    func consumerCredential(id: String) async throws -> ConsumerCredential?
    /// The authentication-code credential with this keyed hash.
    func consumerCredential(secretHash: String) async throws -> ConsumerCredential?
    func consumerCredential(organisationId: String, identifier: String) async throws -> ConsumerCredential?
    func consumerCredentials(organisationId: String?, userId: String?, _ page: PageRequest) async throws -> Page<ConsumerCredential>
    /// Throws ``DomainError/notFound(_:)``.
    func updateConsumerCredential(_ credential: ConsumerCredential, audit: AuditEvent) async throws
    /// Throws ``DomainError/notFound(_:)``.
    func deleteConsumerCredential(id: String, audit: AuditEvent) async throws

    // MARK: Change notifications

    /// Calls `handler` with the target type (`application`, `apikey`, `user`, …) of every change
    /// committed by any instance sharing this database, until cancelled; `"*"` means "anything may
    /// have changed" (after a reconnect). Instances use it to drop caches at once (PostgreSQL
    /// LISTEN/NOTIFY); an embedded SQLite database has one instance, so it never calls.
    func listenForChanges(_ handler: @escaping @Sendable (String) -> Void) async throws

    /// Sends `message` to every instance's ``listenForChanges(_:)`` handler, this one's included
    /// (PostgreSQL NOTIFY, delivered at once, not in a transaction). An embedded SQLite database
    /// has one instance: nothing to tell.
    func announce(_ message: String) async throws

    /// Whether this store's change feed must vouch for cached data before caches may answer
    /// (``ChangeFeedTrust``): PostgreSQL, shared by instances; not the embedded SQLite file.
    var changeFeedNeedsVouching: Bool { get }

    /// Whether memory may answer at `now` in place of this store (``CachedStore`` says no while
    /// the change feed cannot vouch for what it holds); caches in front of a store ask it first.
    func cachesAreTrusted(now: Date) -> Bool

    // MARK: Housekeeping

    /// Deletes expired refresh tokens and revocation entries and retires published keys whose
    /// tokens have all expired. Returns the number of rows removed or changed.
    @discardableResult
    func prune(now: Date) async throws -> Int
}

extension Store {
    public var changeFeedNeedsVouching: Bool { false }
    public func cachesAreTrusted(now: Date) -> Bool { true }
}
