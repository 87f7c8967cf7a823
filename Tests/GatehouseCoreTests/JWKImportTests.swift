import Crypto
import CryptoExtras
import Foundation
@testable import GatehouseCore
import Testing

@Suite("JOSE: importing public JWKs as verification keys")
struct JWKImportTests {
    /// A JWK through JSON, as a resource server receives it.
    private func throughJSON(_ jwk: JWK) throws -> JWK {
        try JSONDecoder().decode(JWK.self, from: JSONEncoder.gatehouse.encode(jwk))
    }

    @Test("A published JWK imports to a key that verifies its signing key's signatures, and only those", arguments: SigningAlgorithm.allCases)
    func roundTrip(_ algorithm: SigningAlgorithm) throws {
        let signing = try SigningKey.generate(algorithm)
        let imported = try VerificationKey(jwk: throughJSON(signing.verificationKey.jwk))
        #expect(imported.kid == signing.kid)
        #expect(imported.algorithm == algorithm)
        #expect(imported.jwk == signing.verificationKey.jwk)

        let input = Data("header.payload".utf8)
        let signature = try signing.sign(input)
        #expect(imported.isValidSignature(signature, for: input))
        #expect(!imported.isValidSignature(signature, for: input + Data("x".utf8)))
        #expect(!imported.isValidSignature(try SigningKey.generate(algorithm).sign(input), for: input))

        // A whole token verifies with the imported key through the access-token verifier.
        let now = Date(timeIntervalSince1970: 1_750_000_000)
        let claims = AccessTokenClaims(
            iss: "https://auth.example", sub: "s", aud: "https://auth.example", exp: 1_750_000_600, iat: 1_750_000_000,
            nbf: 1_750_000_000, jti: "j", client_id: "c", scope: "a", org: "o"
        )
        let token = try JWS.sign(payload: JSONEncoder.gatehouse.encode(claims), type: AccessTokenClaims.type, with: signing)
        let verifier = AccessTokenVerifier(issuer: "https://auth.example", audience: "https://auth.example")
        #expect(verifier.verify(token, now: now, key: { $0 == imported.kid ? imported : nil }) == claims)
    }

    @Test("An alg that does not match the key type or curve is refused", arguments: SigningAlgorithm.allCases)
    func mismatchedAlgorithm(_ algorithm: SigningAlgorithm) throws {
        let jwk = try SigningKey.generate(algorithm).verificationKey.jwk
        for other in SigningAlgorithm.allCases where other != algorithm {
            var lying = jwk
            lying.alg = other.rawValue
            #expect(throws: JWKImportError.self, "\(algorithm) key labelled \(other)") { try VerificationKey(jwk: lying) }
        }
        for alg in ["none", "HS256", "ES384", "PS256", "RS512", "es256", ""] {
            var lying = jwk
            lying.alg = alg
            #expect(throws: JWKImportError.self, "alg \(alg)") { try VerificationKey(jwk: lying) }
        }
    }

    @Test("The wrong curve, kty or use is refused")
    func wrongCurveOrType() throws {
        var ec = try SigningKey.generate(.es256).verificationKey.jwk
        ec.crv = "P-384"
        #expect(throws: JWKImportError.self) { try VerificationKey(jwk: ec) }
        ec.crv = nil
        #expect(throws: JWKImportError.self) { try VerificationKey(jwk: ec) }

        var ed = try SigningKey.generate(.edDSA).verificationKey.jwk
        ed.crv = "X25519"
        #expect(throws: JWKImportError.self) { try VerificationKey(jwk: ed) }
        ed.crv = "Ed25519"
        ed.kty = "EC"
        #expect(throws: JWKImportError.self) { try VerificationKey(jwk: ed) }

        var rsa = try SigningKey.generate(.rs256).verificationKey.jwk
        rsa.kty = "oct"
        #expect(throws: JWKImportError.self) { try VerificationKey(jwk: rsa) }

        var encryption = try SigningKey.generate(.es256).verificationKey.jwk
        encryption.use = "enc"
        #expect(throws: JWKImportError.self) { try VerificationKey(jwk: encryption) }

        var anonymous = try SigningKey.generate(.es256).verificationKey.jwk
        anonymous.kid = ""
        #expect(throws: JWKImportError.self) { try VerificationKey(jwk: anonymous) }
    }

    @Test("Garbage coordinates and moduli are refused")
    func garbage() throws {
        let ec = try SigningKey.generate(.es256).verificationKey.jwk
        let ed = try SigningKey.generate(.edDSA).verificationKey.jwk
        let rsa = try SigningKey.generate(.rs256).verificationKey.jwk
        let thirtyTwo = Base64URL.encode(Data(repeating: 0x41, count: 32))

        var cases: [(String, JWK)] = []
        func add(_ name: String, _ base: JWK, _ change: (inout JWK) -> Void) {
            var jwk = base
            change(&jwk)
            cases.append((name, jwk))
        }
        add("EC without y", ec) { $0.y = nil }
        add("EC without x", ec) { $0.x = nil }
        add("EC x not base64url", ec) { $0.x = "not base64!" }
        add("EC x padded", ec) { $0.x = ($0.x ?? "") + "=" }
        add("EC x 31 bytes", ec) { $0.x = Base64URL.encode(Data(repeating: 1, count: 31)) }
        add("EC point off the curve", ec) { $0.x = thirtyTwo; $0.y = thirtyTwo }
        add("EC with RSA members", ec) { $0.n = rsa.n; $0.e = rsa.e }
        add("Ed25519 without x", ed) { $0.x = nil }
        add("Ed25519 x 33 bytes", ed) { $0.x = Base64URL.encode(Data(repeating: 1, count: 33)) }
        add("Ed25519 with y", ed) { $0.y = thirtyTwo }
        add("RSA without n", rsa) { $0.n = nil }
        add("RSA without e", rsa) { $0.e = nil }
        add("RSA empty e", rsa) { $0.e = "" }
        add("RSA n not base64url", rsa) { $0.n = "***" }
        add("RSA with a curve", rsa) { $0.crv = "P-256" }
        for (name, jwk) in cases {
            #expect(throws: JWKImportError.self, "\(name)") { try VerificationKey(jwk: jwk) }
        }
    }

    @Test("RSA keys under 2048 bits are refused, 2048 and more accepted")
    func rsaSize() throws {
        let small = try _RSA.Signing.PrivateKey(unsafeKeySize: .init(bitCount: 1024)).publicKey.getKeyPrimitives()
        let jwk = JWK(kty: "RSA", kid: "small", alg: "RS256", n: Base64URL.encode(small.modulus), e: Base64URL.encode(small.publicExponent))
        #expect(throws: JWKImportError.self) { try VerificationKey(jwk: jwk) }

        // A 2048-bit modulus with leading zero bytes is still 2048 bits.
        let big = try SigningKey.generate(.rs256).verificationKey.jwk
        var padded = big
        padded.n = Base64URL.encode(Data([0, 0]) + (Base64URL.decode(Substring(big.n ?? "")) ?? Data()))
        #expect(try VerificationKey(jwk: padded).algorithm == .rs256)

        // 2040 significant bits padded out to 256 bytes: still too small.
        var short = big
        short.n = Base64URL.encode(Data([0]) + Data(repeating: 0xFF, count: 255))
        #expect(throws: JWKImportError.self) { try VerificationKey(jwk: short) }
    }

    @Test("JWKs decoded from another server's JSON import")
    func foreignJSON() throws {
        // RFC 8037 Appendix A.2, with the alg and use Gatehouse requires.
        let json = #"{"kty":"OKP","crv":"Ed25519","kid":"rfc8037","alg":"EdDSA","use":"sig","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#
        let key = try VerificationKey(jwk: JSONDecoder().decode(JWK.self, from: Data(json.utf8)))
        #expect(key.algorithm == .edDSA)
        // RFC 8037 Appendix A.4: the signature of "Example of Ed25519 signing".
        let input = Data("eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc".utf8)
        let signature = try #require(Base64URL.decode("hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg"))
        #expect(key.isValidSignature(signature, for: input))
    }
}
