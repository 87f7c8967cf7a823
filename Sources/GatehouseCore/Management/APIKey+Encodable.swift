import Foundation

/// The answer of create: the API key's fields plus the key, this once.
extension IssuedAPIKey: Encodable {
    enum SecretKeys: String, CodingKey { case key }

    public func encode(to encoder: any Encoder) throws {
        try apiKey.encode(to: encoder)
        var c = encoder.container(keyedBy: SecretKeys.self)
        try c.encode(key, forKey: .key)
    }
}
