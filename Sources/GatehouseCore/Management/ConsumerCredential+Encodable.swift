import Foundation

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
