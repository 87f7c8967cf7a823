import Foundation
@testable import GatehouseCore
import Testing

@Suite("JSONObjectWriter writes exactly what JSONEncoder.gatehouse writes")
struct JSONObjectWriterTests {
    /// Every control character, both characters JSON escapes, a slash, non-ASCII and an emoji.
    static let awkward = String((0..<0x20).map { Character(Unicode.Scalar(UInt8($0))) }) + #"quote" back\slash /path é 日本 🔑"#

    static func expectSame<Value: Encodable & JSONObjectWritable>(_ value: Value) throws {
        let expected = try JSONEncoder.gatehouse.encode(value)
        #expect(Data(value.jsonBytes) == expected, "\(String(decoding: value.jsonBytes, as: UTF8.self)) vs \(String(decoding: expected, as: UTF8.self))")
    }

    @Test("Access-token claims, with and without the optional fields")
    func claims() throws {
        let full = AccessTokenClaims(
            iss: "https://id.example", sub: Self.awkward, aud: "api", exp: 1_800_003_600, iat: 1_800_000_000, nbf: -5, jti: "j",
            client_id: "c", scope: "a b", org: "o", unit: "u\n", customer: Self.awkward, api_key_id: "k",
            consumer_credential_id: "cc", parent_jti: "p"
        )
        try Self.expectSame(full)
        var bare = full
        bare.unit = nil
        bare.customer = nil
        bare.api_key_id = nil
        bare.consumer_credential_id = nil
        bare.parent_jti = nil
        bare.scope = ""
        try Self.expectSame(bare)
    }

    @Test("Token responses, with and without a refresh token")
    func tokenResponses() throws {
        try Self.expectSame(TokenResponse(access_token: "eyJ.x.y", expires_in: 3600, scope: "read write", refresh_token: "ghrt_1"))
        try Self.expectSame(TokenResponse(access_token: Self.awkward, expires_in: 0, scope: "", refresh_token: nil))
    }

    @Test("Introspection answers: inactive, and active with every field")
    func introspectionAnswers() throws {
        try Self.expectSame(Introspection.Answer.inactive)
        try Self.expectSame(Introspection.Answer(
            active: true, scope: "a", client_id: "c", token_type: "Bearer", exp: 2, iat: 1, nbf: 1, sub: Self.awkward, aud: "x",
            iss: "i", jti: "j", org: "o", unit: "u", customer: "k"
        ))
    }
}
