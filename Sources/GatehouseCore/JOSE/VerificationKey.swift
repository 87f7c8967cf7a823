import Crypto
import CryptoExtras
import Foundation

/// A public key that verifies JWS signatures of exactly one algorithm (RFC 8725 §3.1: the
/// algorithm comes from the key, never from the token).
public struct VerificationKey: Sendable {
    public let kid: String
    let material: Material

    enum Material: Sendable {
        case es256(P256.Signing.PublicKey)
        case rs256(_RSA.Signing.PublicKey)
        case edDSA(Curve25519.Signing.PublicKey)
    }

    public var algorithm: SigningAlgorithm {
        switch material {
        case .es256: .es256
        case .rs256: .rs256
        case .edDSA: .edDSA
        }
    }

    public func isValidSignature(_ signature: Data, for signingInput: Data) -> Bool {
        switch material {
        case .es256(let key):
            guard let signature = try? P256.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
            return key.isValidSignature(signature, for: signingInput)
        case .rs256(let key):
            return key.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: signingInput, padding: .insecurePKCS1v1_5)
        case .edDSA(let key):
            return key.isValidSignature(signature, for: signingInput)
        }
    }

    /// The public JWK (RFC 7517) published in JWKS.
    public var jwk: JWK {
        switch material {
        case .es256(let key):
            let point = key.x963Representation.dropFirst()
            return JWK(kty: "EC", kid: kid, alg: algorithm.rawValue, crv: "P-256", x: Base64URL.encode(point.prefix(32)), y: Base64URL.encode(point.suffix(32)))
        case .rs256(let key):
            let primitives = try? key.getKeyPrimitives()
            return JWK(
                kty: "RSA", kid: kid, alg: algorithm.rawValue,
                n: primitives.map { Base64URL.encode($0.modulus) }, e: primitives.map { Base64URL.encode($0.publicExponent) }
            )
        case .edDSA(let key):
            return JWK(kty: "OKP", kid: kid, alg: algorithm.rawValue, crv: "Ed25519", x: Base64URL.encode(key.rawRepresentation))
        }
    }
}
