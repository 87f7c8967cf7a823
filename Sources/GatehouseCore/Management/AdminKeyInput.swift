/// The fields of `POST /admin/v1/admin-keys` and `gatehouse admin create` (SPEC §6).
///
/// `organisation` (SPEC §6's organisation-scoped keys) is not accepted yet: it comes with the
/// administrators of the console, and a key that claimed a scope it does not enforce would mislead.
public struct AdminKeyInput: Sendable, Equatable, Decodable {
    public static let fields: Set<String> = ["name", "expiresAt"]

    public var name: String
    /// An RFC 3339 date-time in the future; the key never expires when absent.
    public var expiresAt: String?

    public init(name: String, expiresAt: String? = nil) {
        self.name = name
        self.expiresAt = expiresAt
    }
}

/// The fields of `PATCH /admin/v1/admin-keys/{id}` and `gatehouse admin update`. The key itself
/// never changes (create a new one instead).
public struct AdminKeyPatch: Sendable, Equatable, Decodable {
    public static let fields: Set<String> = ["name", "expiresAt", "disabled"]

    public var name: Patch<String> = .keep
    /// An RFC 3339 date-time in the future; `null` makes the key never expire.
    public var expiresAt: Patch<String> = .keep
    public var disabled: Patch<Bool> = .keep

    public init() {}

    enum CodingKeys: String, CodingKey { case name, expiresAt, disabled }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodePatch(String.self, forKey: .name)
        expiresAt = try c.decodePatch(String.self, forKey: .expiresAt)
        disabled = try c.decodePatch(Bool.self, forKey: .disabled)
    }
}
