import Foundation

/// JSON as RFC 8259 writes it: Foundation's parser, and a refusal of what it lets through.
public enum StrictJSON {
    /// Why a body is not JSON, in words fit for an error answer.
    public struct Invalid: Error {
        public let message: String
    }

    /// What Foundation accepts and RFC 8259 does not (or leaves to chance).
    enum Breach: Equatable {
        /// A `,` right before a `}` or `]`. RFC 8259 §4: `object = begin-object [ member *(
        /// value-separator member ) ] end-object`, and §5 likewise for arrays: a value separator is
        /// always followed by a member or value. Foundation on Linux (both `JSONSerialization` and
        /// `JSONDecoder`) accepts `{"a":1,}`.
        case trailingComma
        /// A name twice in one object. RFC 8259 §4: "The names within an object SHOULD be unique",
        /// and "when the names within an object are not unique, the behavior of software that
        /// receives such an object is unpredictable": Foundation keeps the first value, Python and
        /// Go the last, so a proxy and Gatehouse could read one body two ways. A duplicated form
        /// parameter is refused (SPEC §7); a duplicated JSON name is too.
        case duplicatedName(String)
    }

    /// The value `data` holds (`JSONSerialization`'s types).
    public static func parse(_ data: Data) throws(Invalid) -> Any {
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: data, options: [])
        } catch {
            throw Invalid(message: "the body is not valid JSON")
        }
        switch firstBreach(data) {
        case .trailingComma: throw Invalid(message: "the body is not valid JSON (a comma before '}' or ']')")
        case .duplicatedName(let name): throw Invalid(message: "the body names '\(name.prefix(100))' twice in one object")
        case nil: return value
        }
    }

    /// The first ``Breach`` in `data`, which Foundation has already parsed; one pass over the bytes.
    static func firstBreach(_ data: Data) -> Breach? {
        let bytes = [UInt8](data)
        var objects: [Set<String>?] = []  // one entry per open container; nil for an array
        var expectingName = false
        var afterComma = false
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                index += 1
                continue
            case UInt8(ascii: "{"):
                objects.append([])
                expectingName = true
            case UInt8(ascii: "["):
                objects.append(nil)
                expectingName = false
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if afterComma { return .trailingComma }
                _ = objects.popLast()
                expectingName = false
            case UInt8(ascii: ","):
                expectingName = objects.last.map { $0 != nil } ?? false
            case UInt8(ascii: "\""):
                let end = closingQuote(in: bytes, after: index)
                if expectingName, objects.last != nil {
                    let name = decodedString(bytes[index...end])
                    if objects[objects.count - 1]?.insert(name).inserted == false { return .duplicatedName(name) }
                }
                expectingName = false
                index = end
            default:
                break
            }
            afterComma = bytes[index] == UInt8(ascii: ",")
            index += 1
        }
        return nil
    }

    /// The index of the `"` that closes the string opened at `start`.
    private static func closingQuote(in bytes: [UInt8], after start: Int) -> Int {
        var index = start + 1
        while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
            index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
        }
        return min(index, bytes.count - 1)
    }

    /// A JSON string token's value: `"a"` and `"\u0061"` name the same member.
    private static func decodedString(_ token: ArraySlice<UInt8>) -> String {
        guard token.contains(UInt8(ascii: "\\")) else { return String(decoding: token.dropFirst().dropLast(), as: UTF8.self) }
        return (try? JSONSerialization.jsonObject(with: Data(token), options: .fragmentsAllowed)) as? String
            ?? String(decoding: token, as: UTF8.self)
    }
}
