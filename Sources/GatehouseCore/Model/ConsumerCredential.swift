import Foundation

/// A consumer's credential for the consumer application key flow (SPEC §1, §4): either an
/// `authentication_code` (generated, high-entropy, keyed hash) or an `identifier` + `pass_code`
/// pair (the pass code is low-entropy, so it is hashed with the password KDF).
public struct ConsumerCredential: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case authenticationCode = "authentication_code"
        case passCode = "pass_code"
    }

    public var id: String
    public var organisationId: String
    public var userId: String
    public var kind: Kind
    /// For `pass_code` credentials: the public half, unique within the organisation.
    @AlwaysEncoded public var identifier: String?
    /// Keyed hash (authentication code) or PBKDF2 hash (pass code).
    public var secretHash: String
    public var disabled: Bool
    public var createdAt: Date

    public init(
        id: String, organisationId: String, userId: String, kind: Kind, identifier: String?, secretHash: String,
        disabled: Bool, createdAt: Date
    ) {
        self.id = id
        self.organisationId = organisationId
        self.userId = userId
        self.kind = kind
        self.identifier = identifier
        self.secretHash = secretHash
        self.disabled = disabled
        self.createdAt = createdAt
    }
}

/// The public shape of a consumer credential: never the code, the pass code or their hash.
/// `identifier` is `null` for an authentication code.
extension ConsumerCredential: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, userId = "user", organisationId = "organisation", kind, identifier, disabled, createdAt
    }
}
