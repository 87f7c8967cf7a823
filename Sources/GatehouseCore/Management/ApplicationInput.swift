/// The fields of `POST /admin/v1/apps` and `gatehouse app create` (SPEC §6).
public struct ApplicationInput: Sendable, Equatable, Decodable {
    public static let fields: Set<String> = .names(of: CodingKeys.self)

    public var name: String
    public var description: String?
    public var contactEmail: String?
    /// Organisation id or name; `default` when absent.
    public var organisation: String?
    public var grantTypes: [String]?
    public var scopes: [String]?
    public var redirectUris: [String]?
    public var authorizationType: AuthorizationType?
    public var allowedIPs: [String]?
    public var allowedMethods: [String]?
    public var resources: [String]?
    public var sessionAccess: SessionAccess?
    public var sessionCustomer: String?
    public var accessTokenTTL: Int?

    public init(name: String) {
        self.name = name
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, description, contactEmail, organisation, grantTypes, scopes, redirectUris, authorizationType, allowedIPs
        case allowedMethods, resources, sessionAccess, sessionCustomer, accessTokenTTL
    }
}

/// The fields of `PATCH /admin/v1/apps/{id}` and `gatehouse app update`. The organisation of an
/// application never changes: its tokens and keys are bound to it.
public struct ApplicationPatch: Sendable, Equatable, Decodable, MergePatch {
    public static let fields: Set<String> = .names(of: CodingKeys.self)

    public var name: Patch<String> = .keep
    public var description: Patch<String> = .keep
    public var contactEmail: Patch<String> = .keep
    public var grantTypes: Patch<[String]> = .keep
    public var scopes: Patch<[String]> = .keep
    public var redirectUris: Patch<[String]> = .keep
    public var authorizationType: Patch<AuthorizationType> = .keep
    public var allowedIPs: Patch<[String]> = .keep
    public var allowedMethods: Patch<[String]> = .keep
    public var resources: Patch<[String]> = .keep
    public var sessionAccess: Patch<SessionAccess> = .keep
    public var sessionCustomer: Patch<String> = .keep
    public var accessTokenTTL: Patch<Int> = .keep
    public var disabled: Patch<Bool> = .keep

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, description, contactEmail, grantTypes, scopes, redirectUris, authorizationType, allowedIPs
        case allowedMethods, resources, sessionAccess, sessionCustomer, accessTokenTTL, disabled
    }
}
