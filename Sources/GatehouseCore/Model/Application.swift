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
    public var description: String?
    public var grantTypes: [String]
    public var scopes: [String]
    public var redirectUris: [String]
    public var authorizationType: AuthorizationType
    public var allowedIPs: [String]
    public var allowedMethods: [String]
    public var resources: [String]
    public var sessionAccess: SessionAccess
    public var sessionCustomer: String?
    /// Access-token lifetime in seconds.
    public var accessTokenTTL: Int
    public var disabled: Bool
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String, organisationId: String, clientId: String, secretHash: String,
        name: String, description: String?, grantTypes: [String], scopes: [String],
        redirectUris: [String], authorizationType: AuthorizationType, allowedIPs: [String],
        allowedMethods: [String], resources: [String], sessionAccess: SessionAccess,
        sessionCustomer: String?, accessTokenTTL: Int, disabled: Bool, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.organisationId = organisationId
        self.clientId = clientId
        self.secretHash = secretHash
        self.name = name
        self.description = description
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
