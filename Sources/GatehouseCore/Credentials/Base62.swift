/// Base62 (`0-9A-Za-z`) of a big-endian unsigned number, left-padded to a fixed width.
///
/// Base62 keeps secrets to one "word": a double-click selects all of it, and it needs no escaping
/// in URLs, form bodies, HTTP Basic credentials or shell arguments.
enum Base62 {
    static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    /// Encodes `bytes` as exactly `width` characters (enough for the byte count is required).
    static func encode(_ bytes: [UInt8], width: Int) -> String {
        var number = bytes
        var digits = [UInt8]()
        digits.reserveCapacity(width)
        while digits.count < width {
            var remainder = 0
            for index in number.indices {
                let accumulator = remainder << 8 | Int(number[index])
                number[index] = UInt8(accumulator / 62)
                remainder = accumulator % 62
            }
            digits.append(alphabet[remainder])
        }
        return String(decoding: digits.reversed(), as: UTF8.self)
    }

    /// Characters needed for `byteCount` bytes: ceil(8 × n / log2(62)).
    static func width(forByteCount byteCount: Int) -> Int {
        Int((Double(byteCount * 8) / 5.954196310386876).rounded(.up))
    }

    static func isBase62(_ byte: UInt8) -> Bool {
        (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte)
    }
}
