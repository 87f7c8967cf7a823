/// Base62 (`0-9A-Za-z`) of a big-endian unsigned number, left-padded to a fixed width.
///
/// Base62 keeps secrets to one "word": a double-click selects all of it, and it needs no escaping
/// in URLs, form bodies, HTTP Basic credentials or shell arguments.
enum Base62 {
    static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    /// 62⁵, the largest power of 62 below 2³²: one long division by it yields five digits.
    private static let fiveDigits: UInt64 = 916_132_832

    /// Encodes `bytes` as exactly `width` characters (enough for the byte count is required).
    ///
    /// Long division of 32-bit limbs by 62⁵: a 256-bit secret takes 9 passes over 8 limbs, where
    /// dividing bytes by 62 took 43 passes over 32 bytes (generating a secret went from 6.9 to
    /// 3.3 µs).
    static func encode(_ bytes: [UInt8], width: Int) -> String {
        var limbs = [UInt32](repeating: 0, count: (bytes.count + 3) / 4)
        let padding = limbs.count * 4 - bytes.count
        for (index, byte) in bytes.enumerated() {
            let position = index + padding
            limbs[position / 4] |= UInt32(byte) << (24 - 8 * (position % 4))
        }
        return String(unsafeUninitializedCapacity: width) { digits in
            var end = width
            var first = 0  // limbs before `first` are zero
            while end > 0 {
                var remainder: UInt64 = 0
                for index in first..<limbs.count {
                    let accumulator = remainder << 32 | UInt64(limbs[index])
                    limbs[index] = UInt32(accumulator / fiveDigits)
                    remainder = accumulator % fiveDigits
                }
                while first < limbs.count, limbs[first] == 0 { first += 1 }
                for _ in 0..<5 where end > 0 {
                    end -= 1
                    digits[end] = alphabet[Int(remainder % 62)]
                    remainder /= 62
                }
            }
            return width
        }
    }

    /// The number that `digits` (Base62, most significant first) stand for; nil for a character
    /// outside the alphabet or a number over 64 bits.
    static func decode<Digits: Sequence<UInt8>>(_ digits: Digits) -> UInt64? {
        var number: UInt64 = 0
        for character in digits {
            guard let digit = value(of: character) else { return nil }
            let (shifted, overflow) = number.multipliedReportingOverflow(by: 62)
            guard !overflow else { return nil }
            let (sum, carry) = shifted.addingReportingOverflow(digit)
            guard !carry else { return nil }
            number = sum
        }
        return number
    }

    /// Characters needed for `byteCount` bytes: ceil(8 × n / log2(62)).
    static func width(forByteCount byteCount: Int) -> Int {
        Int((Double(byteCount * 8) / 5.954196310386876).rounded(.up))
    }

    static func isBase62(_ byte: UInt8) -> Bool {
        value(of: byte) != nil
    }

    private static func value(of byte: UInt8) -> UInt64? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt64(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): UInt64(byte - UInt8(ascii: "A")) + 10
        case UInt8(ascii: "a")...UInt8(ascii: "z"): UInt64(byte - UInt8(ascii: "a")) + 36
        default: nil
        }
    }
}
