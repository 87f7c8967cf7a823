import Foundation

/// The public shape of an application (SPEC §6): every field but the secret hash.
extension Application: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, clientId, name, description, organisation, grantTypes, scopes, redirectUris
        case authorizationType, allowedIPs, allowedMethods, resources, sessionAccess, sessionCustomer
        case accessTokenTTL, disabled, createdAt, updatedAt
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(clientId, forKey: .clientId)
        try c.encode(name, forKey: .name)
        try c.encode(description, forKey: .description)
        try c.encode(organisationId, forKey: .organisation)
        try c.encode(grantTypes, forKey: .grantTypes)
        try c.encode(scopes, forKey: .scopes)
        try c.encode(redirectUris, forKey: .redirectUris)
        try c.encode(authorizationType, forKey: .authorizationType)
        try c.encode(allowedIPs, forKey: .allowedIPs)
        try c.encode(allowedMethods, forKey: .allowedMethods)
        try c.encode(resources, forKey: .resources)
        try c.encode(sessionAccess, forKey: .sessionAccess)
        try c.encode(sessionCustomer, forKey: .sessionCustomer)
        try c.encode(accessTokenTTL, forKey: .accessTokenTTL)
        try c.encode(disabled, forKey: .disabled)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(updatedAt, forKey: .updatedAt)
    }
}

/// The answer of create and regenerate: the application plus its secret, this once.
extension IssuedApplication: Encodable {
    enum SecretKeys: String, CodingKey { case clientSecret }

    public func encode(to encoder: any Encoder) throws {
        try application.encode(to: encoder)
        var c = encoder.container(keyedBy: SecretKeys.self)
        try c.encode(clientSecret, forKey: .clientSecret)
    }
}
