import Foundation

/// Base64url without padding (RFC 7515 §2, "Base64url Encoding").
public enum Base64URL {
    public static func encode<Bytes: DataProtocol>(_ bytes: Bytes) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Decodes strictly: only the base64url alphabet, no padding, no whitespace.
    public static func decode(_ text: Substring) -> Data? {
        guard text.utf8.allSatisfy({ Base62.isBase62($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }),
              text.utf8.count % 4 != 1
        else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.utf8.count % 4) % 4)
        // Only the canonical spelling: unused trailing bits must be zero (RFC 4648 §3.5), so a
        // token has exactly one valid text.
        guard let data = Data(base64Encoded: base64), encode(data) == text else { return nil }
        return data
    }
}
