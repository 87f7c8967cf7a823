/// A public JSON Web Key (RFC 7517 §4; EC per RFC 7518 §6.2, RSA per §6.3, OKP per RFC 8037 §2).
public struct JWK: Codable, Sendable, Equatable {
    public var kty: String
    public var kid: String
    public var alg: String
    public var use: String = "sig"
    public var crv: String?
    public var x: String?
    public var y: String?
    public var n: String?
    public var e: String?
}

/// A JWK Set (RFC 7517 §5).
public struct JWKSet: Codable, Sendable, Equatable {
    public var keys: [JWK]

    public init(keys: [JWK]) {
        self.keys = keys
    }
}
