import Foundation

/// An OAuth client and an app authorization in one (SPEC §1).
///
/// `clientId` is the AuthKey; the secret (AuthPassword / `client_secret`) is never held here,
/// only its keyed hash.
public struct Application: Sendable, Equatable {
    public var id: String
    public var organisationId: String
    public var clientId: String
    public var secretHash: String
    public var name: String
    @AlwaysEncoded public var description: String?
    /// Where the application's users can reach its developer; the consent page shows it.
    @AlwaysEncoded public var contactEmail: String?
    public var grantTypes: [GrantType]
    public var scopes: [String]
    public var redirectUris: [String]
    public var authorizationType: AuthorizationType
    /// Parsed when the row is loaded; shown as the canonical CIDR texts.
    public var allowedIPs: [AllowedIP]
    public var allowedMethods: [String]
    /// Parsed when the row is loaded; shown as the pattern texts.
    public var resources: [ResourcePattern]
    public var sessionAccess: SessionAccess
    @AlwaysEncoded public var sessionCustomer: String?
    /// Access-token lifetime in seconds.
    public var accessTokenTTL: Int
    public var disabled: Bool
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String, organisationId: String, clientId: String, secretHash: String,
        name: String, description: String?, grantTypes: [GrantType], scopes: [String],
        redirectUris: [String], authorizationType: AuthorizationType, allowedIPs: [AllowedIP],
        allowedMethods: [String], resources: [ResourcePattern], sessionAccess: SessionAccess,
        sessionCustomer: String?, accessTokenTTL: Int, disabled: Bool, createdAt: Date, updatedAt: Date,
        contactEmail: String? = nil
    ) {
        self.id = id
        self.organisationId = organisationId
        self.clientId = clientId
        self.secretHash = secretHash
        self.name = name
        self.description = description
        self.contactEmail = contactEmail
        self.grantTypes = grantTypes
        self.scopes = scopes
        self.redirectUris = redirectUris
        self.authorizationType = authorizationType
        self.allowedIPs = allowedIPs
        self.allowedMethods = allowedMethods
        self.resources = resources
        self.sessionAccess = sessionAccess
        self.sessionCustomer = sessionCustomer
        self.accessTokenTTL = accessTokenTTL
        self.disabled = disabled
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// The public shape of an application (SPEC §6): every field but the secret hash.
extension Application: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, clientId, name, description, contactEmail, organisationId = "organisation", grantTypes, scopes, redirectUris
        case authorizationType, allowedIPs, allowedMethods, resources, sessionAccess, sessionCustomer
        case accessTokenTTL, disabled, createdAt, updatedAt
    }
}

/// How an application authenticates its API calls.
public enum AuthorizationType: String, Sendable, Codable, CaseIterable {
    /// The app must exchange its credentials for a bearer token.
    case bearer
    /// The app may also send `clientId:secret` as HTTP Basic with every request.
    case basic
}

/// Whether an application may act for a customer (SPEC §4, customer sessions).
public enum SessionAccess: String, Sendable, Codable, CaseIterable {
    case none
    case any
    /// Every token the app obtains acts for its fixed `sessionCustomer`.
    case auto
}
