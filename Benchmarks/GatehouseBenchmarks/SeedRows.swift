import Foundation
import GatehouseCore
import SQLiteKit

/// Rows of `applications` and `api_keys` exactly as `SQLStore` writes them: lower-case UUID ids,
/// JSON-array text for lists (`JSONEncoder()` defaults, as the store's `jsonText`), booleans as
/// 0/1, dates as epoch milliseconds, secrets only as `SecretHasher.hash`.
struct SeedRows: Sendable {
    static let applicationColumns = [
        "id", "organisation_id", "client_id", "secret_hash", "name", "description", "grant_types", "scopes",
        "redirect_uris", "authorization_type", "allowed_ips", "allowed_methods", "resources", "session_access",
        "session_customer", "access_token_ttl", "disabled", "created_at", "updated_at",
    ]
    static let apiKeyColumns = [
        "id", "organisation_id", "name", "description", "key_hash", "key_prefix", "application_id", "user_id",
        "scopes", "expires_at", "last_used_at", "disabled", "created_at", "updated_at",
    ]
    /// `APIKeyManager.prefixLength`: `ghak_` and four more characters.
    static let keyPrefixLength = 9
    /// A scope or two per application, in turn; an application's keys get its scopes (the
    /// manager's default when a key is created without scopes).
    static let scopeSets = [["orders:read"], ["orders:read", "orders:write"], ["catalog:read"]]

    let organisationId: String
    let hasher: SecretHasher
    let applicationCount: Int
    /// Epoch milliseconds of the first application's `created_at`; every later row (all
    /// applications, then all keys) is one millisecond newer, so lists ordered by `created_at`
    /// come out in generation order and no key predates its application.
    let firstMilliseconds: Int
    let scopeTexts: [String] = Self.scopeSets.map(Self.jsonText)

    /// Rows numbered so that the newest is `now`.
    init(organisationId: String, hasher: SecretHasher, applications: Int, keys: Int, now: Date) {
        self.organisationId = organisationId
        self.hasher = hasher
        self.applicationCount = applications
        self.firstMilliseconds = Int((now.timeIntervalSince1970 * 1000).rounded(.down)) - applications - keys
    }

    /// Applications `range`: enabled client-credentials apps with no IP, method or resource
    /// restriction; the batch's `ids` are theirs.
    func applications(_ range: Range<Int>) -> RowBatch {
        let empty = Self.jsonText([])
        let grantTypes = Self.jsonText(["client_credentials"])
        var rows: [[SQLiteData]] = []
        var ids: [String] = []
        rows.reserveCapacity(range.count)
        ids.reserveCapacity(range.count)
        for index in range {
            let id = RandomUUID.make()
            let created = SQLiteData.integer(firstMilliseconds + index)
            let secretHash = hasher.hash(SecretFormat.generate(.clientSecret))
            rows.append([
                .text(id), .text(organisationId), .text(RandomUUID.make()), .text(secretHash),
                .text(Self.name("bench-app", index)), .null, .text(grantTypes), .text(scopeText(application: index)),
                .text(empty), .text(AuthorizationType.bearer.rawValue), .text(empty), .text(empty), .text(empty),
                .text(SessionAccess.none.rawValue), .null, .integer(3600), .integer(0), created, created,
            ])
            ids.append(id)
        }
        return RowBatch(rows: rows, ids: ids)
    }

    /// API keys `range`, key `i` owned by application `i % applicationIds.count`; the batch keeps
    /// the plaintext of the keys whose index is in `keep`.
    func apiKeys(_ range: Range<Int>, applicationIds: [String], keep: Set<Int>) -> RowBatch {
        var rows: [[SQLiteData]] = []
        var kept: [(index: Int, key: String)] = []
        rows.reserveCapacity(range.count)
        for index in range {
            let key = SecretFormat.generate(.apiKey)
            let application = index % applicationIds.count
            let created = SQLiteData.integer(firstMilliseconds + applicationCount + index)
            rows.append([
                .text(RandomUUID.make()), .text(organisationId), .text(Self.name("bench-key", index)), .null,
                .text(hasher.hash(key)), .text(String(key.prefix(Self.keyPrefixLength))), .text(applicationIds[application]),
                .null, .text(scopeText(application: application)), .null, .null, .integer(0), created, created,
            ])
            if keep.contains(index) { kept.append((index, key)) }
        }
        return RowBatch(rows: rows, kept: kept)
    }

    func scopeText(application index: Int) -> String {
        scopeTexts[index % scopeTexts.count]
    }

    static func name(_ stem: String, _ index: Int) -> String {
        let digits = String(index + 1)
        return stem + "-" + String(repeating: "0", count: max(0, 7 - digits.count)) + digits
    }

    /// What `SQLStore` stores for a list (`[String].jsonText`).
    static func jsonText(_ values: [String]) -> String {
        String(decoding: (try? JSONEncoder().encode(values)) ?? Data("[]".utf8), as: UTF8.self)
    }
}

/// Generated rows, with the new applications' ids or the plaintext of the keys kept for the
/// samples.
struct RowBatch: Sendable {
    var rows: [[SQLiteData]]
    var ids: [String] = []
    var kept: [(index: Int, key: String)] = []

    /// `make` over `range` split into `parts` pieces made at once (one per core), rows in order.
    static func inParallel(
        _ range: Range<Int>, parts: Int, _ make: @escaping @Sendable (Range<Int>) -> RowBatch
    ) async -> RowBatch {
        let step = max(1, (range.count + parts - 1) / max(parts, 1))
        let pieces = stride(from: range.lowerBound, to: range.upperBound, by: step).map { $0..<min($0 + step, range.upperBound) }
        return await withTaskGroup(of: (Int, RowBatch).self) { group in
            for (position, piece) in pieces.enumerated() {
                group.addTask { (position, make(piece)) }
            }
            var made = [RowBatch?](repeating: nil, count: pieces.count)
            for await (position, batch) in group { made[position] = batch }
            let batches = made.compactMap { $0 }
            return RowBatch(rows: batches.flatMap(\.rows), ids: batches.flatMap(\.ids), kept: batches.flatMap(\.kept))
        }
    }
}
