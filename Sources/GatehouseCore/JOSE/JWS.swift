import Foundation

/// JWS Compact Serialization (RFC 7515 §7.1): `BASE64URL(header) . BASE64URL(payload) . BASE64URL(signature)`.
public enum JWS {
    /// The protected header fields Gatehouse writes and reads.
    public struct Header: Codable, Sendable, Equatable {
        public var alg: String
        public var typ: String?
        public var kid: String?
        /// RFC 7515 §4.1.11: a token naming critical extensions the recipient does not understand
        /// MUST be rejected. Gatehouse understands none, so any `crit` fails verification.
        public var crit: [String]?
    }

    /// Signs `payload` with `key`; the header's `alg` and `kid` come from the key.
    public static func sign(payload: some DataProtocol, type: String, with key: SigningKey) throws -> String {
        let header = try (type == AccessTokenClaims.type ? key.accessTokenHeader : nil) ?? encodedHeader(alg: key.algorithm.rawValue, kid: key.kid, type: type)
        // One buffer from header to signature: the signing input is signed where it lies.
        var token: [UInt8] = []
        let signatureBytes = key.algorithm == .rs256 ? 256 : 64
        token.reserveCapacity(header.utf8.count + (payload.count + signatureBytes) * 4 / 3 + 8)
        token.append(contentsOf: header.utf8)
        token.append(UInt8(ascii: "."))
        Base64URL.append(Array(payload), to: &token)
        let signature = try key.sign(token)
        token.append(UInt8(ascii: "."))
        Base64URL.append(Array(signature), to: &token)
        return String(decoding: token, as: UTF8.self)
    }

    /// The protected header `{"alg":…,"kid":…,"typ":…}` (keys sorted, as JSONEncoder.gatehouse
    /// writes them), base64url-encoded. It is on every issue, so values that need no JSON
    /// escaping (always, for Gatehouse's own kids, algorithms and types) skip the encoder.
    static func encodedHeader(alg: String, kid: String, type: String) throws -> String {
        let plain: (String) -> Bool = { $0.utf8.allSatisfy { Base62.isBase62($0) || "-_.+/".utf8.contains($0) } }
        guard plain(alg), plain(kid), plain(type) else {
            return Base64URL.encode(try JSONEncoder.gatehouse.encode(Header(alg: alg, typ: type, kid: kid)))
        }
        return Base64URL.encode(Data(#"{"alg":"\#(alg)","kid":"\#(kid)","typ":"\#(type)"}"#.utf8))
    }

    /// A token split into its parts, not yet verified.
    public struct Parts: Sendable {
        public var header: Header
        public var payload: Data
        public var signingInput: Data
        public var signature: Data
    }

    /// Splits and decodes a compact JWS; `nil` for anything malformed. Verifies nothing.
    public static func parse(_ token: String) -> Parts? {
        // The request body limit bounds every token we are shown; an app may list 100 scopes, so a
        // token of its own can pass 8 KiB.
        guard token.utf8.count <= 64 * 1024 else { return nil }
        // Split the bytes, not Characters (grapheme breaking was most of parsing's cost).
        let segments = token.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).map { Substring($0) }
        guard segments.count == 3,
              let headerBytes = Base64URL.decode(segments[0]),
              let header = try? JSONDecoder().decode(Header.self, from: headerBytes), header.crit == nil,
              let payload = Base64URL.decode(segments[1]),
              let signature = Base64URL.decode(segments[2])
        else { return nil }
        let signingInput = Data(token.utf8.prefix(segments[0].utf8.count + 1 + segments[1].utf8.count))
        return Parts(header: header, payload: payload, signingInput: signingInput, signature: signature)
    }
}
