import Crypto
import CryptoExtras
import Foundation

/// Why a JWK could not become a ``VerificationKey``.
public struct JWKImportError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String

    init(_ message: String) {
        self.message = message
    }

    public var description: String { "JWK refused: \(message)" }
}

extension VerificationKey {
    /// The largest RSA modulus accepted: verification cost grows with it, and no Gatehouse key
    /// (2048 bits) comes near.
    static let maximumRSABits = 8192

    /// A verification key from a public JWK (RFC 7517 §4; EC per RFC 7518 §6.2, RSA per §6.3, OKP
    /// per RFC 8037 §2), as published in Gatehouse's JWKS.
    ///
    /// The key's algorithm is taken from the JWK's `alg`, which must agree with its type and curve
    /// (`ES256` ↔ `EC`/`P-256`, `RS256` ↔ `RSA`, `EdDSA` ↔ `OKP`/`Ed25519`): a key never verifies
    /// a signature of another algorithm (RFC 8725 §3.1). `use`, when not `sig`, refuses the key
    /// (RFC 7517 §4.2). RSA moduli under 2048 bits are refused (RFC 8725 §3.5; NIST SP 800-131A).
    public init(jwk: JWK) throws {
        guard !jwk.kid.isEmpty else { throw JWKImportError("no kid") }
        guard jwk.use == "sig" else { throw JWKImportError("use is \"\(jwk.use)\", not \"sig\"") }
        guard let algorithm = SigningAlgorithm(rawValue: jwk.alg) else { throw JWKImportError("unsupported alg \"\(jwk.alg)\"") }
        switch (algorithm, jwk.kty, jwk.crv) {
        case (.es256, "EC", "P-256"):
            guard jwk.n == nil, jwk.e == nil,
                  let x = jwk.x.flatMap({ Base64URL.decode(Substring($0)) }), x.count == 32,
                  let y = jwk.y.flatMap({ Base64URL.decode(Substring($0)) }), y.count == 32
            else { throw JWKImportError("an EC P-256 key needs 32-byte x and y") }
            // SEC 1 §2.3.3 uncompressed point; CryptoKit checks that it lies on the curve.
            guard let key = try? P256.Signing.PublicKey(x963Representation: Data([0x04]) + x + y) else {
                throw JWKImportError("x, y is not a P-256 point")
            }
            self.init(kid: jwk.kid, material: .es256(key))
        case (.rs256, "RSA", nil):
            guard jwk.x == nil, jwk.y == nil,
                  let n = jwk.n.flatMap({ Base64URL.decode(Substring($0)) }), !n.isEmpty,
                  let e = jwk.e.flatMap({ Base64URL.decode(Substring($0)) }), !e.isEmpty
            else { throw JWKImportError("an RSA key needs n and e") }
            // RFC 7518 §6.3.1.1: n is unsigned big-endian; a leading zero byte would still count.
            let significant = n.drop(while: { $0 == 0 })
            let bits = significant.count * 8 - (significant.first.map { $0.leadingZeroBitCount } ?? 0)
            guard bits >= 2048 else { throw JWKImportError("RSA modulus of \(bits) bits is under 2048") }
            guard bits <= Self.maximumRSABits else { throw JWKImportError("RSA modulus of \(bits) bits is over \(Self.maximumRSABits)") }
            // `init(n:e:)` refuses keys under 2048 bits itself, too.
            guard let key = try? _RSA.Signing.PublicKey(n: n, e: e), key.keySizeInBits >= 2048 else {
                throw JWKImportError("n, e is not an RSA public key")
            }
            self.init(kid: jwk.kid, material: .rs256(key))
        case (.edDSA, "OKP", "Ed25519"):
            guard jwk.y == nil, jwk.n == nil, jwk.e == nil,
                  let x = jwk.x.flatMap({ Base64URL.decode(Substring($0)) }), x.count == 32,
                  let key = try? Curve25519.Signing.PublicKey(rawRepresentation: x)
            else { throw JWKImportError("an OKP Ed25519 key needs a 32-byte x") }
            self.init(kid: jwk.kid, material: .edDSA(key))
        default:
            throw JWKImportError("alg \(jwk.alg) does not match kty \(jwk.kty)\(jwk.crv.map { " / crv \($0)" } ?? "")")
        }
    }
}
