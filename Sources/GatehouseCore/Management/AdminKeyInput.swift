/// The fields of `POST /admin/v1/admin-keys` and `gatehouse admin create` (SPEC §6).
///
/// `organisation` (SPEC §6's organisation-scoped keys) is not accepted yet: it comes with the
/// administrators of the console, and a key that claimed a scope it does not enforce would mislead.
public struct AdminKeyInput: Sendable, Equatable, Decodable {
    public static let fields: Set<String> = .names(of: CodingKeys.self)

    public var name: String
    /// An RFC 3339 date-time in the future; the key never expires when absent.
    public var expiresAt: String?

    public init(name: String, expiresAt: String? = nil) {
        self.name = name
        self.expiresAt = expiresAt
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case name, expiresAt }
}

/// The fields of `PATCH /admin/v1/admin-keys/{id}` and `gatehouse admin update`. The key itself
/// never changes (create a new one instead).
public struct AdminKeyPatch: Sendable, Equatable, Decodable, MergePatch {
    public static let fields: Set<String> = .names(of: CodingKeys.self)

    public var name: Patch<String> = .keep
    /// An RFC 3339 date-time in the future; `null` makes the key never expire.
    public var expiresAt: Patch<String> = .keep
    public var disabled: Patch<Bool> = .keep

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable { case name, expiresAt, disabled }
}
