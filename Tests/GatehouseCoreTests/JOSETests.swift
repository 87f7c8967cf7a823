import Crypto
import Foundation
@testable import GatehouseCore
import Testing

@Suite("JOSE: JWS, JWK, Base64URL and stored signing keys")
struct JOSETests {
    // MARK: JWS round trips

    @Test("A JWS signed with each algorithm verifies with its key and carries its alg and kid", arguments: SigningAlgorithm.allCases)
    func signAndVerify(_ algorithm: SigningAlgorithm) throws {
        let key = try SigningKey.generate(algorithm)
        #expect(key.algorithm == algorithm)
        let payload = Data(#"{"hello":"world"}"#.utf8)
        let token = try JWS.sign(payload: payload, type: "at+jwt", with: key)

        let parts = try #require(JWS.parse(token))
        #expect(parts.header.alg == algorithm.rawValue)
        #expect(parts.header.kid == key.kid)
        #expect(parts.header.typ == "at+jwt")
        #expect(parts.payload == payload)
        #expect(parts.signingInput == Data(token.split(separator: ".").prefix(2).joined(separator: ".").utf8))
        #expect(key.verificationKey.algorithm == algorithm)
        #expect(key.verificationKey.kid == key.kid)
        #expect(key.verificationKey.isValidSignature(parts.signature, for: parts.signingInput))

        // Another input, or another key of the same algorithm, does not verify.
        #expect(!key.verificationKey.isValidSignature(parts.signature, for: parts.signingInput + Data("x".utf8)))
        let other = try SigningKey.generate(algorithm)
        #expect(!other.verificationKey.isValidSignature(parts.signature, for: parts.signingInput))
    }

    @Test("ES256 signatures are R ‖ S (64 bytes), EdDSA 64 bytes, RS256 the modulus size (256 bytes)")
    func signatureSizes() throws {
        let input = Data("input".utf8)
        #expect(try SigningKey.generate(.es256).sign(input).count == 64)
        #expect(try SigningKey.generate(.edDSA).sign(input).count == 64)
        #expect(try SigningKey.generate(.rs256).sign(input).count == 256)
    }

    @Test("A signing key restored from its private key bytes verifies what the original signed", arguments: SigningAlgorithm.allCases)
    func restoreFromPrivateBytes(_ algorithm: SigningAlgorithm) throws {
        let key = try SigningKey.generate(algorithm)
        let restored = try SigningKey(kid: key.kid, algorithm: algorithm, privateKeyBytes: key.privateKeyBytes)
        let input = Data("restored".utf8)
        #expect(restored.verificationKey.isValidSignature(try key.sign(input), for: input))
        #expect(key.verificationKey.isValidSignature(try restored.sign(input), for: input))
        #expect(restored.verificationKey.jwk == key.verificationKey.jwk)
    }

    @Test("The hand-written protected header is exactly what the JSON encoder writes, and escapes what needs it")
    func handWrittenHeader() throws {
        for (alg, kid, type) in [("ES256", "MTrBEP6uUUmSVsj1", "at+jwt"), ("EdDSA", "a-b_c", "gh-consumer+jwt"), ("RS256", #"k"\id"#, "at+jwt")] {
            let expected = try JSONEncoder.gatehouse.encode(JWS.Header(alg: alg, typ: type, kid: kid))
            let written = try JWS.encodedHeader(alg: alg, kid: kid, type: type)
            #expect(Base64URL.decode(Substring(written)) == expected, "\(kid)")
            let decoded = try JSONDecoder().decode(JWS.Header.self, from: try #require(Base64URL.decode(Substring(written))))
            #expect(decoded.kid == kid && decoded.alg == alg && decoded.typ == type)
        }
    }

    @Test("kids are random and URL-safe")
    func kidsAreRandom() throws {
        let kids = try (0..<20).map { _ in try SigningKey.generate(.es256).kid }
        #expect(Set(kids).count == kids.count)
        for kid in kids {
            #expect(kid.count == 16)
            #expect(Base64URL.decode(Substring(kid))?.count == 12)
        }
    }

    @Test("JWS.parse refuses anything that is not three base64url segments with a JSON header")
    func parseRefusesMalformed() throws {
        let key = try SigningKey.generate(.es256)
        let token = try JWS.sign(payload: Data("{}".utf8), type: "at+jwt", with: key)
        let segments = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        #expect(JWS.parse(token) != nil)
        #expect(JWS.parse(segments.prefix(2).joined(separator: ".")) == nil)
        #expect(JWS.parse(token + ".") == nil)
        #expect(JWS.parse(token + "." + segments[2]) == nil)
        #expect(JWS.parse("") == nil)
        #expect(JWS.parse("..") == nil)
        #expect(JWS.parse("not a token") == nil)
        #expect(JWS.parse(Base64URL.encode(Data("not json".utf8)) + "." + segments[1] + "." + segments[2]) == nil)
        #expect(JWS.parse(segments[0] + "=." + segments[1] + "." + segments[2]) == nil)
        #expect(JWS.parse(String(repeating: "a", count: 10_000) + "." + segments[1] + "." + segments[2]) == nil)
    }

    // MARK: JWK shapes

    @Test("An ES256 JWK is EC P-256 with 43-character x and y that are the public point")
    func ecJWK() throws {
        let key = try SigningKey.generate(.es256)
        let jwk = key.verificationKey.jwk
        #expect(jwk.kty == "EC")
        #expect(jwk.crv == "P-256")
        #expect(jwk.alg == "ES256")
        #expect(jwk.use == "sig")
        #expect(jwk.kid == key.kid)
        let x = try #require(jwk.x)
        let y = try #require(jwk.y)
        #expect(x.count == 43)
        #expect(y.count == 43)
        #expect(jwk.n == nil && jwk.e == nil)
        // x ‖ y is the uncompressed point: a verifier can rebuild the key from the JWK.
        let point = Data([0x04]) + (try #require(Base64URL.decode(Substring(x)))) + (try #require(Base64URL.decode(Substring(y))))
        let rebuilt = try P256.Signing.PublicKey(x963Representation: point)
        let input = Data("jwk".utf8)
        let signature = try P256.Signing.ECDSASignature(rawRepresentation: try key.sign(input))
        #expect(rebuilt.isValidSignature(signature, for: input))
    }

    @Test("An RS256 JWK is RSA with n (2048 bits) and e (65537)")
    func rsaJWK() throws {
        let key = try SigningKey.generate(.rs256)
        let jwk = key.verificationKey.jwk
        #expect(jwk.kty == "RSA")
        #expect(jwk.alg == "RS256")
        #expect(jwk.use == "sig")
        #expect(jwk.kid == key.kid)
        #expect(jwk.crv == nil && jwk.x == nil && jwk.y == nil)
        let n = try #require(jwk.n.flatMap { Base64URL.decode(Substring($0)) })
        let e = try #require(jwk.e.flatMap { Base64URL.decode(Substring($0)) })
        #expect(n.count == 256)
        #expect(n.first != 0, "RFC 7518 §6.3.1.1: n is the unsigned big-endian value without leading zero octets")
        #expect(Array(e) == [0x01, 0x00, 0x01])
    }

    @Test("An EdDSA JWK is OKP Ed25519 with a 43-character x")
    func okpJWK() throws {
        let key = try SigningKey.generate(.edDSA)
        let jwk = key.verificationKey.jwk
        #expect(jwk.kty == "OKP")
        #expect(jwk.crv == "Ed25519")
        #expect(jwk.alg == "EdDSA")
        #expect(jwk.use == "sig")
        #expect(jwk.x?.count == 43)
        #expect(jwk.y == nil && jwk.n == nil && jwk.e == nil)
        let x = try #require(jwk.x.flatMap { Base64URL.decode(Substring($0)) })
        let rebuilt = try Curve25519.Signing.PublicKey(rawRepresentation: x)
        let input = Data("okp".utf8)
        #expect(rebuilt.isValidSignature(try key.sign(input), for: input))
    }

    @Test("A JWK Set encodes public members only", arguments: SigningAlgorithm.allCases)
    func jwkSetHasNoPrivateMembers(_ algorithm: SigningAlgorithm) throws {
        let key = try SigningKey.generate(algorithm)
        let data = try JSONEncoder.gatehouse.encode(JWKSet(keys: [key.verificationKey.jwk]))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let keys = try #require(object["keys"] as? [[String: Any]])
        #expect(keys.count == 1)
        for privateMember in ["d", "p", "q", "dp", "dq", "qi", "k", "oth"] {
            #expect(keys[0][privateMember] == nil, "\(privateMember) must never be published")
        }
    }

    // MARK: Base64URL

    @Test("Base64URL round-trips every length without padding")
    func base64URLRoundTrip() {
        for length in 0..<40 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255) }
            let encoded = Base64URL.encode(bytes)
            #expect(!encoded.contains("="))
            #expect(!encoded.contains("+"))
            #expect(!encoded.contains("/"))
            #expect(Base64URL.decode(Substring(encoded)) == Data(bytes))
        }
        // 0xfb 0xff encodes to characters that differ between base64 and base64url.
        #expect(Base64URL.encode([0xfb, 0xff, 0xbf]) == "-_-_")
        #expect(Base64URL.decode("-_-_") == Data([0xfb, 0xff, 0xbf]))
    }

    @Test("Base64URL decoding is strict", arguments: [
        "AA==", "AAA=", "AA=", "A===",   // padding
        "+/+/", "ab+c", "ab/c",          // the base64 alphabet, not base64url
        "AA AA", " AAAA", "AAAA ", "AA\nAA", "AA\tAA", "AAAA\r\n", // whitespace
        "A", "AAAAA",                    // a length no encoding produces
        "AA.A", "AA%3D", "ÄA", "AA\u{0}A", // foreign characters
    ])
    func base64URLStrict(_ text: String) {
        #expect(Base64URL.decode(Substring(text)) == nil, "\(text.debugDescription) must be refused")
    }

    @Test("Base64URL refuses non-canonical encodings whose unused trailing bits are set (RFC 4648 §3.5)", arguments: ["AB", "AAB", "AAAAAB", "-_-_-x"])
    func base64URLCanonical(_ text: String) {
        // "AB" and "AA" would both decode to [0x00]: accepting both lets a token be re-spelled without re-signing.
        #expect(Base64URL.decode(Substring(text)) == nil, "\(text) is not the canonical encoding of its bytes")
    }

    @Test("Base64URL decodes the empty string to no bytes")
    func base64URLEmpty() {
        #expect(Base64URL.decode("") == Data())
    }

    // MARK: Stored signing keys

    static func masterKey() throws -> MasterKey {
        try MasterKey(base64: SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString())
    }

    @Test("A stored key without a master key is plain and round-trips", arguments: SigningAlgorithm.allCases)
    func plainRoundTrip(_ algorithm: SigningAlgorithm) throws {
        let key = try SigningKey.generate(algorithm)
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let stored = try StoredSigningKey(key, state: .active, masterKey: nil, createdAt: now)
        #expect(stored.kid == key.kid)
        #expect(stored.algorithm == algorithm)
        #expect(stored.state == .active)
        #expect(stored.createdAt == now)
        #expect(stored.retireAfter == nil)
        #expect(stored.privateKey.hasPrefix("plain:"))
        let opened = try stored.signingKey(masterKey: nil)
        #expect(opened.kid == key.kid)
        #expect(opened.algorithm == algorithm)
        #expect(opened.privateKeyBytes == key.privateKeyBytes)
        // A plain key also opens on a server that has since been given a master key.
        #expect(try stored.signingKey(masterKey: Self.masterKey()).privateKeyBytes == key.privateKeyBytes)
    }

    @Test("A key sealed with a master key opens only with that key", arguments: SigningAlgorithm.allCases)
    func sealedRoundTrip(_ algorithm: SigningAlgorithm) throws {
        let key = try SigningKey.generate(algorithm)
        let master = try Self.masterKey()
        let stored = try StoredSigningKey(key, state: .active, masterKey: master, createdAt: Date())
        #expect(stored.privateKey.hasPrefix("sealed:"))
        #expect(!stored.privateKey.contains(key.privateKeyBytes.base64EncodedString()), "the private key must not be stored in the clear")

        let opened = try stored.signingKey(masterKey: master)
        #expect(opened.privateKeyBytes == key.privateKeyBytes)
        #expect(opened.kid == key.kid)

        #expect {
            try stored.signingKey(masterKey: Self.masterKey())
        } throws: { error in
            guard case StoredSigningKey.Unusable.wrongMasterKey(let kid) = error else { return false }
            return kid == key.kid
        }
        #expect {
            try stored.signingKey(masterKey: nil)
        } throws: { error in
            guard case StoredSigningKey.Unusable.needsMasterKey(let kid) = error else { return false }
            return kid == key.kid
        }
    }

    @Test("Sealing twice gives different ciphertexts (a fresh nonce each time)")
    func sealingUsesFreshNonces() throws {
        let key = try SigningKey.generate(.es256)
        let master = try Self.masterKey()
        let first = try StoredSigningKey(key, state: .active, masterKey: master, createdAt: Date())
        let second = try StoredSigningKey(key, state: .active, masterKey: master, createdAt: Date())
        #expect(first.privateKey != second.privateKey)
    }

    @Test("A stored key that is not sealed: or plain: base64 of a valid key is corrupt, never replaced", arguments: [
        "", "plain:", "plain:!!!", "plain:" + Data("short".utf8).base64EncodedString(), "sealed:!!!", "raw:AAAA", "PLAIN:AAAA",
    ])
    func corruptKeys(_ privateKey: String) throws {
        let stored = StoredSigningKey(kid: "k1", algorithm: .es256, state: .active, privateKey: privateKey, createdAt: Date(), retireAfter: nil)
        #expect {
            try stored.signingKey(masterKey: privateKey.hasPrefix("sealed:") ? Self.masterKey() : nil)
        } throws: { error in
            guard case StoredSigningKey.Unusable.corrupt(let kid) = error else { return false }
            return kid == "k1"
        }
    }

    @Test("A sealed key whose ciphertext was altered does not open")
    func tamperedSealedKey() throws {
        let master = try Self.masterKey()
        var stored = try StoredSigningKey(try SigningKey.generate(.es256), state: .active, masterKey: master, createdAt: Date())
        var sealed = try #require(Data(base64Encoded: String(stored.privateKey.dropFirst("sealed:".count))))
        sealed[sealed.count / 2] ^= 0x01
        stored.privateKey = "sealed:" + sealed.base64EncodedString()
        #expect(throws: StoredSigningKey.Unusable.self) { try stored.signingKey(masterKey: master) }
    }
}
