/// The fields of `POST /admin/v1/apikeys` and `gatehouse apikey create` (SPEC §6).
public struct APIKeyInput: Sendable, Equatable, Decodable {
    public static let fields: Set<String> = .names(of: CodingKeys.self)

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

    enum CodingKeys: String, CodingKey, CaseIterable { case name, description, application, user, scopes, expiresAt }
}

/// The fields of `PATCH /admin/v1/apikeys/{id}` and `gatehouse apikey update`. A key's owner and
/// organisation never change, and neither does the key itself (create a new one instead).
public struct APIKeyPatch: Sendable, Equatable, Decodable, MergePatch {
    public static let fields: Set<String> = .names(of: CodingKeys.self)

    public var name: Patch<String> = .keep
    public var description: Patch<String> = .keep
    public var scopes: Patch<[String]> = .keep
    /// An RFC 3339 date-time in the future; `null` makes the key never expire.
    public var expiresAt: Patch<String> = .keep
    public var disabled: Patch<Bool> = .keep

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable { case name, description, scopes, expiresAt, disabled }
}
