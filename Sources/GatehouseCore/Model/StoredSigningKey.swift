import Foundation

/// A JWS signing algorithm Gatehouse signs with (RFC 7518 §3.1, RFC 8037 §3.1).
public enum SigningAlgorithm: String, Sendable, Codable, CaseIterable {
    case es256 = "ES256"
    case rs256 = "RS256"
    case edDSA = "EdDSA"
}

/// The life of a signing key: `active` signs (exactly one at a time), `published` still verifies
/// and stays in JWKS until every token it signed has expired, `retired` is gone from JWKS.
public enum SigningKeyState: String, Sendable, Codable, CaseIterable {
    case active
    case published
    case retired
}

/// A signing key as stored: the private key is sealed under the master key when one is set.
public struct StoredSigningKey: Sendable, Equatable {
    public var kid: String
    public var algorithm: SigningAlgorithm
    public var state: SigningKeyState
    /// `sealed:<base64 AES-GCM box>` or `plain:<base64>` of the private key's raw/DER bytes.
    public var privateKey: String
    public var createdAt: Date
    /// For a published key: when it leaves JWKS (the last token it signed has expired by then).
    public var retireAfter: Date?

    public init(kid: String, algorithm: SigningAlgorithm, state: SigningKeyState, privateKey: String, createdAt: Date, retireAfter: Date?) {
        self.kid = kid
        self.algorithm = algorithm
        self.state = state
        self.privateKey = privateKey
        self.createdAt = createdAt
        self.retireAfter = retireAfter
    }
}
