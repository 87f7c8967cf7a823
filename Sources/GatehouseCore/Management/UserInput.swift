/// The fields of `POST /admin/v1/users` and `gatehouse user create` (SPEC §6).
public struct UserInput: Sendable, Equatable, Decodable {
    public static let fields: Set<String> = .names(of: CodingKeys.self)

    public var username: String
    public var password: String
    /// Organisation id or name; `default` when absent.
    public var organisation: String?
    /// Whether the user may authenticate as a client (`client_id` = username); `false` when absent.
    public var apiUser: Bool?
    public var units: [String]?

    public init(username: String, password: String, organisation: String? = nil, apiUser: Bool? = nil, units: [String]? = nil) {
        self.username = username
        self.password = password
        self.organisation = organisation
        self.apiUser = apiUser
        self.units = units
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case username, password, organisation, apiUser, units }
}

/// The fields of `PATCH /admin/v1/users/{id}` and `gatehouse user update`. A user's organisation
/// never changes: its tokens and credentials are bound to it.
public struct UserPatch: Sendable, Equatable, Decodable, MergePatch {
    public static let fields: Set<String> = .names(of: CodingKeys.self)

    public var username: Patch<String> = .keep
    public var password: Patch<String> = .keep
    public var apiUser: Patch<Bool> = .keep
    public var disabled: Patch<Bool> = .keep
    public var units: Patch<[String]> = .keep

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable { case username, password, apiUser, disabled, units }
}
