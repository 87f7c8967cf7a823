import Foundation

extension StrictJSON {
    /// The first name that appears twice in one object of `data`, which must already have parsed.
    ///
    /// RFC 8259 §4: "The names within an object SHOULD be unique", and "when the names within an
    /// object are not unique, the behavior of software that receives such an object is
    /// unpredictable": Foundation keeps the first value, Python and Go the last, so a proxy and
    /// Gatehouse could read one body two ways. A duplicated form parameter is refused (SPEC §7);
    /// a duplicated JSON name is too.
    static func duplicatedName(_ data: Data) -> String? {
        let bytes = [UInt8](data)
        var objects: [Set<String>?] = []  // one entry per open container; nil for an array
        var expectingName = false
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "{"):
                objects.append([])
                expectingName = true
            case UInt8(ascii: "["):
                objects.append(nil)
                expectingName = false
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                _ = objects.popLast()
                expectingName = false
            case UInt8(ascii: ","):
                expectingName = objects.last.map { $0 != nil } ?? false
            case UInt8(ascii: "\""):
                let end = closingQuote(in: bytes, after: index)
                if expectingName, objects.last != nil {
                    let name = decodedString(bytes[index...end])
                    if objects[objects.count - 1]?.insert(name).inserted == false { return name }
                }
                expectingName = false
                index = end
            default:
                break
            }
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
