import Crypto
import CryptoExtras
import Foundation

/// A private signing key with its `kid`; the algorithm is a property of the key, never of a token.
public struct SigningKey: Sendable {
    public let kid: String
    public let algorithm: SigningAlgorithm
    let material: Material
    /// The encoded protected header of an access token (`typ` `at+jwt`) signed by this key, made
    /// once: it is the same for every token the key signs.
    let accessTokenHeader: String?

    enum Material: Sendable {
        case es256(P256.Signing.PrivateKey)
        case rs256(_RSA.Signing.PrivateKey)
        case edDSA(Curve25519.Signing.PrivateKey)
    }

    /// A new key; the `kid` is random (it names the key, it must not reveal anything).
    public static func generate(_ algorithm: SigningAlgorithm) throws -> SigningKey {
        let kid = Base64URL.encode((0..<12).map { _ in UInt8.random(in: 0...255) })
        switch algorithm {
        case .es256: return SigningKey(kid: kid, algorithm: algorithm, material: .es256(P256.Signing.PrivateKey()))
        case .rs256: return SigningKey(kid: kid, algorithm: algorithm, material: .rs256(try _RSA.Signing.PrivateKey(keySize: .bits2048)))
        case .edDSA: return SigningKey(kid: kid, algorithm: algorithm, material: .edDSA(Curve25519.Signing.PrivateKey()))
        }
    }

    /// Restores a key from ``privateKeyBytes``.
    public init(kid: String, algorithm: SigningAlgorithm, privateKeyBytes: Data) throws {
        self.kid = kid
        self.algorithm = algorithm
        switch algorithm {
        case .es256: material = .es256(try P256.Signing.PrivateKey(rawRepresentation: privateKeyBytes))
        case .rs256: material = .rs256(try _RSA.Signing.PrivateKey(derRepresentation: privateKeyBytes))
        case .edDSA: material = .edDSA(try Curve25519.Signing.PrivateKey(rawRepresentation: privateKeyBytes))
        }
        accessTokenHeader = try? JWS.encodedHeader(alg: algorithm.rawValue, kid: kid, type: AccessTokenClaims.type)
    }

    init(kid: String, algorithm: SigningAlgorithm, material: Material) {
        self.kid = kid
        self.algorithm = algorithm
        self.material = material
        self.accessTokenHeader = try? JWS.encodedHeader(alg: algorithm.rawValue, kid: kid, type: AccessTokenClaims.type)
    }

    /// Raw scalar (P-256, Ed25519) or PKCS#1 DER (RSA) bytes of the private key.
    public var privateKeyBytes: Data {
        switch material {
        case .es256(let key): key.rawRepresentation
        case .rs256(let key): key.derRepresentation
        case .edDSA(let key): key.rawRepresentation
        }
    }

    /// The JWS signature over `signingInput` (RFC 7518 §3.4: ES256 is R ‖ S, 64 bytes).
    public func sign(_ signingInput: some DataProtocol) throws -> Data {
        switch material {
        case .es256(let key): try key.signature(for: signingInput).rawRepresentation
        case .rs256(let key): try key.signature(for: signingInput, padding: .insecurePKCS1v1_5).rawRepresentation
        case .edDSA(let key): try key.signature(for: signingInput)
        }
    }

    public var verificationKey: VerificationKey {
        switch material {
        case .es256(let key): VerificationKey(kid: kid, material: .es256(key.publicKey))
        case .rs256(let key): VerificationKey(kid: kid, material: .rs256(key.publicKey))
        case .edDSA(let key): VerificationKey(kid: kid, material: .edDSA(key.publicKey))
        }
    }
}
