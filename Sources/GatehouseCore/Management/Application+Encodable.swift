import Foundation

/// The answer of create and regenerate: the application plus its secret, this once.
extension IssuedApplication: Encodable {
    enum SecretKeys: String, CodingKey { case clientSecret }

    public func encode(to encoder: any Encoder) throws {
        try application.encode(to: encoder)
        var c = encoder.container(keyedBy: SecretKeys.self)
        try c.encode(clientSecret, forKey: .clientSecret)
    }
}
