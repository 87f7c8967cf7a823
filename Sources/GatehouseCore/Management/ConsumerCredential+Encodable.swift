import Foundation

/// The public shape of a consumer credential: never the code, the pass code or their hash.
/// `identifier` is `null` for an authentication code.
extension ConsumerCredential: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, user, organisation, kind, identifier, disabled, createdAt
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(userId, forKey: .user)
        try c.encode(organisationId, forKey: .organisation)
        try c.encode(kind, forKey: .kind)
        try c.encode(identifier, forKey: .identifier)
        try c.encode(disabled, forKey: .disabled)
        try c.encode(createdAt, forKey: .createdAt)
    }
}

/// The answer of a create, the only one that holds the secret (SPEC §6):
/// `{"id", "authentication_code"}` or `{"id", "identifier", "pass_code"}`.
extension IssuedConsumerCredential: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, identifier
        case authenticationCode = "authentication_code"
        case passCode = "pass_code"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(credential.id, forKey: .id)
        switch credential.kind {
        case .authenticationCode:
            try c.encode(secret, forKey: .authenticationCode)
        case .passCode:
            try c.encode(credential.identifier, forKey: .identifier)
            try c.encode(secret, forKey: .passCode)
        }
    }
}
