/// A random (version 4) UUID as lower-case text, the same as `UUID().uuidString.lowercased()`
/// (the store's ids) at a fraction of the cost on Linux, where Foundation's takes ~5–7 µs: every
/// token's `jti` and every refresh token's id and family come from here.
public enum RandomUUID {
    private static let hexDigits = Array("0123456789abcdef".utf8)

    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: 16)
        for half in 0..<2 {
            let random = generator.next()
            for offset in 0..<8 { bytes[half * 8 + offset] = UInt8(truncatingIfNeeded: random >> (offset * 8)) }
        }
        bytes[6] = bytes[6] & 0x0F | 0x40  // version 4 (RFC 9562 §5.4)
        bytes[8] = bytes[8] & 0x3F | 0x80  // variant 10
        var text = [UInt8]()
        text.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
