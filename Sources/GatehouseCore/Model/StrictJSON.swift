import Foundation

/// JSON as RFC 8259 writes it: Foundation's parser, and a refusal of what it lets through.
public enum StrictJSON {
    /// Why a body is not JSON, in words fit for an error answer.
    public struct Invalid: Error {
        public let message: String
    }

    /// The value `data` holds (`JSONSerialization`'s types).
    public static func parse(_ data: Data) throws(Invalid) -> Any {
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: data, options: [])
        } catch {
            throw Invalid(message: "the body is not valid JSON")
        }
        guard !hasTrailingComma(data) else { throw Invalid(message: "the body is not valid JSON (a comma before '}' or ']')") }
        if let name = duplicatedName(data) {
            throw Invalid(message: "the body names '\(name.prefix(100))' twice in one object")
        }
        return value
    }

    /// Whether `data` has a `,` right before a `}` or `]` (whitespace between them aside).
    ///
    /// RFC 8259 §4: `object = begin-object [ member *( value-separator member ) ] end-object`,
    /// and §5 likewise for arrays: a value separator is always followed by a member or value.
    /// Foundation on Linux (both `JSONSerialization` and `JSONDecoder`) accepts `{"a":1,}`, so a
    /// body a strict client library would refuse to send was accepted and stored.
    static func hasTrailingComma(_ data: Data) -> Bool {
        var inString = false
        var escaped = false
        var afterComma = false
        for byte in data {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                continue
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if afterComma { return true }
            case UInt8(ascii: "\""):
                inString = true
            default:
                break
            }
            afterComma = byte == UInt8(ascii: ",")
        }
        return false
    }
}
