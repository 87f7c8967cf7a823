/// The fields of `POST /admin/v1/apikeys` and `gatehouse apikey create` (SPEC §6).
public struct APIKeyInput: Sendable, Equatable, Decodable {
    public static let fields: Set<String> = ["name", "description", "application", "user", "scopes", "expiresAt"]

    public var name: String
    public var description: String?
    /// The owning application (id or client id); exactly one of `application` and `user` is given.
    public var application: String?
    /// The owning user (id).
    public var user: String?
    /// For an application's key a subset of the application's scopes (all of them when absent);
    /// for a user's key any scopes (none when absent).
    public var scopes: [String]?
    /// An RFC 3339 date-time in the future; the key never expires when absent.
    public var expiresAt: String?

    public init(
        name: String, description: String? = nil, application: String? = nil, user: String? = nil, scopes: [String]? = nil,
        expiresAt: String? = nil
    ) {
        self.name = name
        self.description = description
        self.application = application
        self.user = user
        self.scopes = scopes
        self.expiresAt = expiresAt
    }
}

/// The fields of `PATCH /admin/v1/apikeys/{id}` and `gatehouse apikey update`. A key's owner and
/// organisation never change, and neither does the key itself (create a new one instead).
public struct APIKeyPatch: Sendable, Equatable, Decodable {
    public static let fields: Set<String> = ["name", "description", "scopes", "expiresAt", "disabled"]

    public var name: Patch<String> = .keep
    public var description: Patch<String> = .keep
    public var scopes: Patch<[String]> = .keep
    /// An RFC 3339 date-time in the future; `null` makes the key never expire.
    public var expiresAt: Patch<String> = .keep
    public var disabled: Patch<Bool> = .keep

    public init() {}

    enum CodingKeys: String, CodingKey { case name, description, scopes, expiresAt, disabled }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodePatch(String.self, forKey: .name)
        description = try c.decodePatch(String.self, forKey: .description)
        scopes = try c.decodePatch([String].self, forKey: .scopes)
        expiresAt = try c.decodePatch(String.self, forKey: .expiresAt)
        disabled = try c.decodePatch(Bool.self, forKey: .disabled)
    }
}
