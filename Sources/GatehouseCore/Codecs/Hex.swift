// Lower-case hexadecimal, as hashes, UUIDs and JSON's `\u00XX` escapes spell it.

/// The lower-case hex digit of a nibble, without a branch on its value.
@inline(__always)
func hexDigit(_ nibble: UInt8) -> UInt8 {
    // 0–9 → '0'–'9'; 10–15 → 'a'–'f' ('a' - 10 - '0' = 39, added when nibble > 9).
    let above9 = UInt8(truncatingIfNeeded: (Int(nibble) - 10) >> 8) ^ 0xFF  // 0xFF when nibble ≥ 10
    return nibble &+ UInt8(ascii: "0") &+ (above9 & 39)
}

/// The value of a hex digit in either case (`0`–`9`, `a`–`f`, `A`–`F`), as percent-encoding
/// spells them (RFC 3986 §2.1); `nil` for any other byte.
public func hexDigitValue(_ digit: UInt8) -> UInt8? {
    switch digit {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
    default: nil
    }
}

extension Collection<UInt8> {
    /// Lower-case hexadecimal digits of the bytes.
    public var hexString: String {
        String(unsafeUninitializedCapacity: count * 2) { output in
            var index = 0
            for byte in self {
                output[index] = hexDigit(byte >> 4)
                output[index + 1] = hexDigit(byte & 0x0F)
                index += 2
            }
            return index
        }
    }
}
