import Foundation

/// A resource owner, customer or consumer (SPEC §1). The password is held only as a slow-KDF hash.
///
/// An *API user* may also authenticate at the token endpoint as a client
/// (`client_id` = username, `client_secret` = password) with the client_credentials grant.
public struct User: Sendable, Equatable {
    public var id: String
    public var organisationId: String
    /// Unique within the organisation; API users' usernames are unique across all organisations.
    public var username: String
    public var passwordHash: String
    public var apiUser: Bool
    public var disabled: Bool
    /// The organisation units the user belongs to.
    public var units: [String]
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String, organisationId: String, username: String, passwordHash: String, apiUser: Bool,
        disabled: Bool, units: [String], createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.organisationId = organisationId
        self.username = username
        self.passwordHash = passwordHash
        self.apiUser = apiUser
        self.disabled = disabled
        self.units = units
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// The public shape of a user (SPEC §6): every field but the password hash, none of them null.
extension User: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, username, organisationId = "organisation", apiUser, units, disabled, createdAt, updatedAt
    }
}

extension User {
    /// Whether a credential of `organisationId` may act as this user: the user is enabled and
    /// belongs to that organisation (a credential of one organisation never opens another's).
    public func isActive(in organisationId: String) -> Bool {
        !disabled && self.organisationId == organisationId
    }
}
