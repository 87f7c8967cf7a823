internal import ExtrasBase64
import Foundation

/// Base64url without padding (RFC 7515 §2, "Base64url Encoding"; RFC 4648 §5).
///
/// Every token issued and every token checked goes through here several times. The table-driven
/// work is swift-extras-base64's (Chromium's algorithm; measured faster than the loop this project
/// had, docs/performance.md); what it does not check, this enum does: see ``decode(_:)``.
public enum Base64URL {
    private static let encoding: ExtrasBase64.Base64.EncodingOptions = [.base64UrlAlphabet, .omitPaddingCharacter]
    private static let decoding: ExtrasBase64.Base64.DecodingOptions = [.base64UrlAlphabet, .omitPaddingCharacter]

    public static func encode<Bytes: DataProtocol>(_ bytes: Bytes) -> String {
        ExtrasBase64.Base64.encodeToString(bytes: bytes, options: encoding)
    }

    /// Appends the encoding of `input` to `output`.
    public static func append(_ input: [UInt8], to output: inout [UInt8]) {
        output.append(addingCapacity: ExtrasBase64.Base64.encodedLength(bytesCount: input.count, options: encoding)) { span in
            ExtrasBase64.Base64.encode(bytes: input.span, into: &span, options: encoding)
        }
    }

    /// Decodes strictly: only the base64url alphabet, no padding, no whitespace, and only the
    /// canonical spelling — unused trailing bits must be zero (RFC 4648 §3.5), so a token has
    /// exactly one valid text. (The library reads `=` as padding and ignores the unused bits.)
    public static func decode(_ text: Substring) -> Data? {
        var text = text
        return text.withUTF8 { input in
            guard !input.contains(UInt8(ascii: "=")), unusedBitsAreZero(input) else { return nil }
            return decode(utf8: input, options: decoding)
        }
    }

    /// What the library decodes `input` to, or nil where it refuses it.
    static func decode(utf8 input: UnsafeBufferPointer<UInt8>, options: ExtrasBase64.Base64.DecodingOptions) -> Data? {
        guard let bytes = try? ExtrasBase64.Base64.decode(bytes: input, options: options) else { return nil }
        return Data(bytes)
    }

    /// Whether the bits of the last character that encode no byte (4 after 2 characters, 2 after
    /// 3) are zero. A character outside the alphabet passes here: the decoder refuses it.
    private static func unusedBitsAreZero(_ input: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let last = input.last, let value = sixBits(last) else { return true }
        switch input.count % 4 {
        case 2: return value & 0x0F == 0
        case 3: return value & 0x03 == 0
        default: return true
        }
    }

    /// The value of a base64url character (RFC 4648 §5, Table 2).
    private static func sixBits(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): character - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): character - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0") + 52
        case UInt8(ascii: "-"): 62
        case UInt8(ascii: "_"): 63
        default: nil
        }
    }
}

/// Standard base64 with its padding (RFC 4648 §4), as HTTP Basic credentials carry it (RFC 7617
/// §2). As lenient as Foundation's decoder, which it replaces there: any run of `=` that keeps the
/// length a multiple of four, and non-zero leftover bits, which RFC 4648 §3.5 lets a decoder
/// ignore. No whitespace and no other alphabet.
public enum Base64 {
    public static func decode(_ text: Substring) -> Data? {
        var text = text
        return text.withUTF8 { bytes -> Data? in
            guard bytes.count % 4 == 0 else { return nil }
            var length = bytes.count
            while length > 0, bytes[length - 1] == UInt8(ascii: "=") { length -= 1 }
            let unpadded = UnsafeBufferPointer(rebasing: bytes[..<length])
            guard !unpadded.contains(UInt8(ascii: "=")) else { return nil }
            return Base64URL.decode(utf8: unpadded, options: .omitPaddingCharacter)
        }
    }
}
