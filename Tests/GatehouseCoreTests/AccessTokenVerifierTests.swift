import Crypto
import CryptoExtras
import Foundation
@testable import GatehouseCore
import Testing

/// Keys, claims and hand-made tokens for the verifier tests.
private struct Fixture: Sendable {
    static let issuer = "https://auth.example.com"
    static let audience = "https://api.example.com"
    static let now = Date(timeIntervalSince1970: 1_750_000_000)
    static var seconds: Int { Int(now.timeIntervalSince1970) }

    let es256: SigningKey
    let rs256: SigningKey
    let edDSA: SigningKey
    let verifier = AccessTokenVerifier(issuer: Fixture.issuer, audience: Fixture.audience)

    static let shared = Fixture()

    private init() {
        es256 = try! SigningKey.generate(.es256)
        rs256 = try! SigningKey.generate(.rs256)
        edDSA = try! SigningKey.generate(.edDSA)
    }

    var keys: [String: VerificationKey] {
        Dictionary(uniqueKeysWithValues: [es256, rs256, edDSA].map { ($0.kid, $0.verificationKey) })
    }

    func verify(_ token: String, now: Date = Fixture.now) -> AccessTokenClaims? {
        let keys = self.keys
        return verifier.verify(token, now: now, key: { keys[$0] })
    }

    static func claims(
        iss: String = issuer, aud: String = audience, exp: Int = seconds + 600, iat: Int = seconds, nbf: Int = seconds
    ) -> AccessTokenClaims {
        AccessTokenClaims(
            iss: iss, sub: "user-1", aud: aud, exp: exp, iat: iat, nbf: nbf, jti: "jti-1", client_id: "client-1",
            scope: "orders:read orders:write", org: "org-1"
        )
    }

    func token(_ claims: AccessTokenClaims = Fixture.claims(), with key: SigningKey? = nil) throws -> String {
        try JWS.sign(payload: JSONEncoder.gatehouse.encode(claims), type: AccessTokenClaims.type, with: key ?? es256)
    }

    /// A token with exactly this header and payload JSON, signed by `sign` over the signing input.
    static func handMade(header: String, payload: String, sign: (Data) throws -> Data) rethrows -> String {
        let input = Base64URL.encode(Data(header.utf8)) + "." + Base64URL.encode(Data(payload.utf8))
        return input + "." + Base64URL.encode(try sign(Data(input.utf8)))
    }

    var payloadJSON: String {
        String(decoding: try! JSONEncoder.gatehouse.encode(Fixture.claims()), as: UTF8.self)
    }
}

/// Flips one bit of the decoded bytes of segment `index` of a compact JWS.
private func flippingBit(in token: String, segment index: Int, byte: Int = 0) -> String {
    var segments = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    var bytes = Base64URL.decode(Substring(segments[index]))!
    bytes[bytes.startIndex + min(byte, bytes.count - 1)] ^= 0x01
    segments[index] = Base64URL.encode(bytes)
    return segments.joined(separator: ".")
}

@Suite("AccessTokenVerifier: strict verification (RFC 8725, RFC 9068 §4)")
struct AccessTokenVerifierTests {
    private var fixture: Fixture { .shared }

    // MARK: valid tokens

    @Test("A valid token of each algorithm passes and yields its claims", arguments: SigningAlgorithm.allCases)
    func validTokenPasses(_ algorithm: SigningAlgorithm) throws {
        let key = [fixture.es256, fixture.rs256, fixture.edDSA].first { $0.algorithm == algorithm }!
        let claims = Fixture.claims()
        let token = try fixture.token(claims, with: key)
        #expect(fixture.verify(token) == claims)
    }

    @Test("typ 'application/at+jwt' and any case of it are accepted (RFC 9068 §4)", arguments: ["at+jwt", "application/at+jwt", "AT+JWT", "Application/At+Jwt"])
    func acceptedTypes(_ typ: String) throws {
        let token = try JWS.sign(payload: JSONEncoder.gatehouse.encode(Fixture.claims()), type: typ, with: fixture.es256)
        #expect(fixture.verify(token) != nil)
    }

    @Test("Validity boundaries: valid from nbf == now up to the second before exp")
    func validityBoundaries() throws {
        let token = try fixture.token(Fixture.claims(exp: Fixture.seconds + 1, nbf: Fixture.seconds))
        #expect(fixture.verify(token) != nil)
        #expect(fixture.verify(token, now: Fixture.now.addingTimeInterval(0.999)) != nil)
        #expect(fixture.verify(token, now: Fixture.now.addingTimeInterval(1)) == nil)
        #expect(fixture.verify(token, now: Fixture.now.addingTimeInterval(-0.001)) == nil)
    }

    @Test("NumericDates are encoded as integers (RFC 7519 §2, SPEC §3)")
    func numericDatesAreIntegers() throws {
        let token = try fixture.token()
        let payload = try #require(Base64URL.decode(token.split(separator: ".")[1]))
        let text = String(decoding: payload, as: UTF8.self)
        for claim in ["exp", "iat", "nbf"] {
            let range = try #require(text.range(of: "\"\(claim)\":"))
            let value = text[range.upperBound...].prefix { $0 != "," && $0 != "}" }
            #expect(!value.isEmpty && value.allSatisfy(\.isNumber), "\(claim) is \(value)")
        }
        let object = try #require(try JSONSerialization.jsonObject(with: payload) as? [String: Any])
        #expect(object["exp"] as? Int == Fixture.seconds + 600)
        #expect(object["typ"] == nil)
    }

    // MARK: algorithm confusion

    @Test("alg 'none' with an empty signature is refused")
    func algNone() {
        for alg in ["none", "None", "NONE"] {
            let header = #"{"alg":"\#(alg)","kid":"\#(fixture.es256.kid)","typ":"at+jwt"}"#
            let token = Fixture.handMade(header: header, payload: fixture.payloadJSON) { _ in Data() }
            #expect(token.hasSuffix("."))
            #expect(fixture.verify(token) == nil, "alg \(alg)")
        }
        // Without a kid as well.
        let token = Fixture.handMade(header: #"{"alg":"none","typ":"at+jwt"}"#, payload: fixture.payloadJSON) { _ in Data() }
        #expect(fixture.verify(token) == nil)
    }

    @Test("An ES256 signature relabelled alg 'none' is refused")
    func algNoneWithRealSignature() throws {
        let header = #"{"alg":"none","kid":"\#(fixture.es256.kid)","typ":"at+jwt"}"#
        let token = try Fixture.handMade(header: header, payload: fixture.payloadJSON) { try fixture.es256.sign($0) }
        #expect(fixture.verify(token) == nil)
    }

    @Test("HS256 keyed with the public key's bytes (key confusion) is refused", arguments: SigningAlgorithm.allCases)
    func hs256KeyConfusion(_ algorithm: SigningAlgorithm) throws {
        let key = [fixture.es256, fixture.rs256, fixture.edDSA].first { $0.algorithm == algorithm }!
        // Every public representation an attacker could take from the JWKS or a PEM file.
        var publicForms: [Data] = []
        let jwk = key.verificationKey.jwk
        publicForms.append(try JSONEncoder.gatehouse.encode(jwk))
        switch key.verificationKey.material {
        case .es256(let publicKey):
            publicForms += [publicKey.x963Representation, publicKey.rawRepresentation, publicKey.derRepresentation, Data(publicKey.pemRepresentation.utf8)]
        case .rs256(let publicKey):
            publicForms += [publicKey.derRepresentation, Data(publicKey.pemRepresentation.utf8), publicKey.pkcs1DERRepresentation]
        case .edDSA(let publicKey):
            publicForms += [publicKey.rawRepresentation]
        }
        for secret in publicForms {
            let header = #"{"alg":"HS256","kid":"\#(key.kid)","typ":"at+jwt"}"#
            let token = Fixture.handMade(header: header, payload: fixture.payloadJSON) { input in
                Data(HMAC<SHA256>.authenticationCode(for: input, using: SymmetricKey(data: secret)))
            }
            #expect(fixture.verify(token) == nil)
        }
    }

    @Test("A header alg other than the key's own is refused, even with a valid signature for that key")
    func headerAlgMustMatchKey() throws {
        // RS256 claimed, kid of the ES256 key, signed with the ES256 key.
        let token = try Fixture.handMade(
            header: #"{"alg":"RS256","kid":"\#(fixture.es256.kid)","typ":"at+jwt"}"#, payload: fixture.payloadJSON
        ) { try fixture.es256.sign($0) }
        #expect(fixture.verify(token) == nil)
        // RS256 claimed, kid of the ES256 key, signed with the RS256 key.
        let rsSigned = try Fixture.handMade(
            header: #"{"alg":"RS256","kid":"\#(fixture.es256.kid)","typ":"at+jwt"}"#, payload: fixture.payloadJSON
        ) { try fixture.rs256.sign($0) }
        #expect(fixture.verify(rsSigned) == nil)
        // ES256 claimed with the EdDSA key's kid.
        let edSigned = try Fixture.handMade(
            header: #"{"alg":"ES256","kid":"\#(fixture.edDSA.kid)","typ":"at+jwt"}"#, payload: fixture.payloadJSON
        ) { try fixture.edDSA.sign($0) }
        #expect(fixture.verify(edSigned) == nil)
        // Case variants of the right alg are not the alg.
        let lower = try Fixture.handMade(
            header: #"{"alg":"es256","kid":"\#(fixture.es256.kid)","typ":"at+jwt"}"#, payload: fixture.payloadJSON
        ) { try fixture.es256.sign($0) }
        #expect(fixture.verify(lower) == nil)
    }

    // MARK: kid

    @Test("A token whose kid is unknown is refused, even when signed by a real key")
    func unknownKid() throws {
        let stranger = try SigningKey.generate(.es256)
        #expect(fixture.verify(try fixture.token(with: stranger)) == nil)
        let renamed = try Fixture.handMade(
            header: #"{"alg":"ES256","kid":"no-such-kid","typ":"at+jwt"}"#, payload: fixture.payloadJSON
        ) { try fixture.es256.sign($0) }
        #expect(fixture.verify(renamed) == nil)
    }

    @Test("A token without a kid is refused, even when signed by a published key")
    func missingKid() throws {
        let token = try Fixture.handMade(header: #"{"alg":"ES256","typ":"at+jwt"}"#, payload: fixture.payloadJSON) { try fixture.es256.sign($0) }
        #expect(fixture.verify(token) == nil)
        let nullKid = try Fixture.handMade(header: #"{"alg":"ES256","kid":null,"typ":"at+jwt"}"#, payload: fixture.payloadJSON) { try fixture.es256.sign($0) }
        #expect(fixture.verify(nullKid) == nil)
    }

    @Test("A kid that is not a string is refused")
    func nonStringKid() throws {
        let token = try Fixture.handMade(header: #"{"alg":"ES256","kid":42,"typ":"at+jwt"}"#, payload: fixture.payloadJSON) { try fixture.es256.sign($0) }
        #expect(fixture.verify(token) == nil)
    }

    // MARK: tampering

    @Test("A bit flipped in the signature, payload or header is refused", arguments: SigningAlgorithm.allCases, [0, 1, 2])
    func bitFlips(_ algorithm: SigningAlgorithm, segment: Int) throws {
        let key = [fixture.es256, fixture.rs256, fixture.edDSA].first { $0.algorithm == algorithm }!
        let token = try fixture.token(with: key)
        #expect(fixture.verify(token) != nil)
        let length = Base64URL.decode(token.split(separator: ".")[segment])!.count
        for byte in [0, length / 2, length - 1] {
            let tampered = flippingBit(in: token, segment: segment, byte: byte)
            #expect(tampered != token)
            #expect(fixture.verify(tampered) == nil, "segment \(segment) byte \(byte)")
        }
    }

    @Test("A token re-spelled by setting the unused trailing bits of its signature is refused (one token, one spelling)")
    func respelledSignature() throws {
        let token = try fixture.token()
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let lastCharacter = try #require(token.last)
        let last = try #require(alphabet.firstIndex(of: lastCharacter))
        // 64 signature bytes take 86 characters: the last character carries 4 unused bits.
        let respelled = String(token.dropLast()) + String(alphabet[last ^ 0b0001])
        #expect(respelled != token)
        #expect(fixture.verify(respelled) == nil)
    }

    @Test("A payload swapped from another valid token is refused")
    func payloadSwap() throws {
        let mine = try fixture.token(Fixture.claims())
        var other = Fixture.claims()
        other.scope = "admin"
        let theirs = try fixture.token(other)
        let spliced = mine.split(separator: ".")[0] + "." + theirs.split(separator: ".")[1] + "." + mine.split(separator: ".")[2]
        #expect(fixture.verify(String(spliced)) == nil)
    }

    @Test("A signature encoded with base64 padding or as DER is refused")
    func nonCanonicalSignatures() throws {
        let token = try fixture.token()
        #expect(fixture.verify(token + "=") == nil)
        // ES256 signatures must be raw R ‖ S (RFC 7518 §3.4), never DER.
        let input = token.split(separator: ".").prefix(2).joined(separator: ".")
        let der = try P256.Signing.PrivateKey(rawRepresentation: fixture.es256.privateKeyBytes).signature(for: Data(input.utf8)).derRepresentation
        #expect(fixture.verify(input + "." + Base64URL.encode(der)) == nil)
    }

    // MARK: typ

    @Test("A typ other than at+jwt is refused (RFC 9068 §4)", arguments: [
        #""typ":"JWT","#, #""typ":"jwt","#, #""typ":"JOSE","#, #""typ":"","#, #""typ":"at+jwt ","#, #""typ":"application/jwt","#, "",
        #""typ":null,"#,
    ])
    func wrongType(_ typMember: String) throws {
        let header = #"{"alg":"ES256",\#(typMember)"kid":"\#(fixture.es256.kid)"}"#
        let token = try Fixture.handMade(header: header, payload: fixture.payloadJSON) { try fixture.es256.sign($0) }
        #expect(fixture.verify(token) == nil, "header \(header)")
    }

    @Test("A typ that is not a string is refused")
    func nonStringType() throws {
        let header = #"{"alg":"ES256","typ":1,"kid":"\#(fixture.es256.kid)"}"#
        let token = try Fixture.handMade(header: header, payload: fixture.payloadJSON) { try fixture.es256.sign($0) }
        #expect(fixture.verify(token) == nil)
    }

    // MARK: time

    @Test("An expired token is refused: exp == now, and exp before now")
    func expired() throws {
        #expect(fixture.verify(try fixture.token(Fixture.claims(exp: Fixture.seconds, iat: Fixture.seconds - 600, nbf: Fixture.seconds - 600))) == nil)
        #expect(fixture.verify(try fixture.token(Fixture.claims(exp: Fixture.seconds - 1, iat: Fixture.seconds - 600, nbf: Fixture.seconds - 600))) == nil)
        #expect(fixture.verify(try fixture.token(Fixture.claims(exp: 0, iat: 0, nbf: 0))) == nil)
    }

    @Test("A token not yet valid (nbf > now) is refused")
    func notYetValid() throws {
        #expect(fixture.verify(try fixture.token(Fixture.claims(exp: Fixture.seconds + 600, iat: Fixture.seconds, nbf: Fixture.seconds + 1))) == nil)
        #expect(fixture.verify(try fixture.token(Fixture.claims(exp: Int.max, iat: Fixture.seconds, nbf: Int.max - 1))) == nil)
    }

    // MARK: issuer and audience

    @Test("A token of another issuer is refused", arguments: ["https://evil.example.com", "https://auth.example.com/", "HTTPS://AUTH.EXAMPLE.COM", ""])
    func wrongIssuer(_ iss: String) throws {
        #expect(fixture.verify(try fixture.token(Fixture.claims(iss: iss))) == nil)
    }

    @Test("A token for another audience is refused", arguments: ["https://other.example.com", "https://api.example.com/", Fixture.issuer, ""])
    func wrongAudience(_ aud: String) throws {
        #expect(fixture.verify(try fixture.token(Fixture.claims(aud: aud))) == nil)
    }

    @Test("An aud given as an array is refused rather than misread")
    func audienceArray() throws {
        var payload = fixture.payloadJSON
        payload = payload.replacingOccurrences(of: #""aud":"\#(Fixture.audience)""#, with: #""aud":["\#(Fixture.audience)"]"#)
        #expect(payload.contains(#""aud":["#))
        let header = #"{"alg":"ES256","kid":"\#(fixture.es256.kid)","typ":"at+jwt"}"#
        let token = try Fixture.handMade(header: header, payload: payload) { try fixture.es256.sign($0) }
        #expect(fixture.verify(token) == nil)
    }

    // MARK: malformed input

    static let malformed: [String] = [
        "", ".", "..", "...", "a.b", "a.b.c", "a.b.c.d", "garbage", "Bearer x.y.z", "🙂.🙂.🙂",
        String(repeating: "A", count: 10 * 1024),
        String(repeating: "A", count: 5 * 1024) + "." + String(repeating: "A", count: 5 * 1024) + ".AAAA",
    ]

    @Test("Malformed strings are refused without a crash", arguments: Self.malformed)
    func malformedStrings(_ token: String) {
        #expect(fixture.verify(token) == nil)
    }

    @Test("A real token with a segment added or removed is refused")
    func wrongSegmentCount() throws {
        let token = try fixture.token()
        let segments = token.split(separator: ".").map(String.init)
        #expect(fixture.verify(segments.prefix(2).joined(separator: ".")) == nil)
        #expect(fixture.verify(token + "." + segments[2]) == nil)
        #expect(fixture.verify(segments[0] + "." + token) == nil)
        #expect(fixture.verify(token + ".") == nil)
        #expect(fixture.verify(" " + token) == nil)
        #expect(fixture.verify(token + "\n") == nil)
    }

    @Test("A payload with fractional, string, huge or missing NumericDates is refused without a crash", arguments: [
        #""exp":1750000600.5"#, #""exp":"1750000600""#, #""exp":1e300"#, #""exp":-1e300"#, #""exp":99999999999999999999999"#,
        #""exp":null"#, #""exp":true"#, #""nbf":1750000000.25"#, #""iat":1.5"#, #""exp":NaN"#,
    ])
    func oddNumericDates(_ member: String) throws {
        let claim = String(member.dropFirst().prefix { $0 != "\"" })
        var object = try #require(try JSONSerialization.jsonObject(with: Data(fixture.payloadJSON.utf8)) as? [String: Any])
        object.removeValue(forKey: claim)
        var payload = String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        payload = "{" + member + "," + payload.dropFirst()
        let header = #"{"alg":"ES256","kid":"\#(fixture.es256.kid)","typ":"at+jwt"}"#
        let token = try Fixture.handMade(header: header, payload: payload) { try fixture.es256.sign($0) }
        #expect(fixture.verify(token) == nil, "\(payload)")
    }

    @Test("A payload missing exp or nbf, or not JSON, is refused", arguments: ["exp", "nbf", "iss", "aud", "jti", "org"])
    func missingClaims(_ claim: String) throws {
        var object = try #require(try JSONSerialization.jsonObject(with: Data(fixture.payloadJSON.utf8)) as? [String: Any])
        object.removeValue(forKey: claim)
        let payload = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        let header = #"{"alg":"ES256","kid":"\#(fixture.es256.kid)","typ":"at+jwt"}"#
        let token = try Fixture.handMade(header: header, payload: payload) { try fixture.es256.sign($0) }
        #expect(fixture.verify(token) == nil)
    }

    @Test("A signed payload that is not a JSON object is refused", arguments: ["", "null", "[]", "\"x\"", "not json", "{"])
    func nonObjectPayload(_ payload: String) throws {
        let header = #"{"alg":"ES256","kid":"\#(fixture.es256.kid)","typ":"at+jwt"}"#
        let token = try Fixture.handMade(header: header, payload: payload) { try fixture.es256.sign($0) }
        #expect(fixture.verify(token) == nil)
    }

    @Test("A header listing an unknown critical extension is refused (RFC 7515 §4.1.11)")
    func unknownCriticalHeader() throws {
        let header = #"{"alg":"ES256","crit":["x-gatehouse-unknown"],"kid":"\#(fixture.es256.kid)","typ":"at+jwt","x-gatehouse-unknown":true}"#
        let token = try Fixture.handMade(header: header, payload: fixture.payloadJSON) { try fixture.es256.sign($0) }
        #expect(fixture.verify(token) == nil)
    }

    @Test("The key lookup is asked only for the token's kid")
    func lookupUsesTheHeaderKid() throws {
        let token = try fixture.token(with: fixture.edDSA)
        let keys = fixture.keys
        var asked: [String] = []
        _ = fixture.verifier.verify(token, now: Fixture.now) { kid in
            asked.append(kid)
            return keys[kid]
        }
        #expect(asked == [fixture.edDSA.kid])
    }
}
