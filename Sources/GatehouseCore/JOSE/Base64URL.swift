import Foundation

/// Base64url without padding (RFC 7515 §2, "Base64url Encoding"; RFC 4648 §5).
///
/// Table-driven over bytes: every token issued and every token checked goes through here several
/// times, and Foundation's base64 plus character replacement was a third of a JWT check's CPU.
public enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// The 6-bit value of each byte of the alphabet; 0xFF for every other byte.
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(value) }
        return table
    }()

    public static func encode<Bytes: DataProtocol>(_ bytes: Bytes) -> String {
        let input = Array(bytes)
        let length = (input.count * 4 + 2) / 3
        return String(unsafeUninitializedCapacity: length) { output in
            var written = 0
            var index = 0
            func emit(_ sixBits: UInt32) {
                output[written] = alphabet[Int(sixBits & 0x3F)]
                written += 1
            }
            while index + 3 <= input.count {
                let group = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
                emit(group >> 18); emit(group >> 12); emit(group >> 6); emit(group)
                index += 3
            }
            switch input.count - index {
            case 1:
                let group = UInt32(input[index]) << 16
                emit(group >> 18); emit(group >> 12)
            case 2:
                let group = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8
                emit(group >> 18); emit(group >> 12); emit(group >> 6)
            default:
                break
            }
            return written
        }
    }

    /// Decodes strictly: only the base64url alphabet, no padding, no whitespace, and only the
    /// canonical spelling — unused trailing bits must be zero (RFC 4648 §3.5), so a token has
    /// exactly one valid text.
    public static func decode(_ text: Substring) -> Data? {
        var text = text
        return text.withUTF8 { decode(utf8: $0) }
    }

    static func decode(utf8 input: UnsafeBufferPointer<UInt8>) -> Data? {
        let remainder = input.count % 4
        guard remainder != 1 else { return nil }
        var output = Data(count: input.count / 4 * 3 + max(remainder - 1, 0))
        let valid = output.withUnsafeMutableBytes { (raw: UnsafeMutableRawBufferPointer) -> Bool in
            var written = 0
            var accumulator: UInt32 = 0
            var bits = 0
            for byte in input {
                let value = values[Int(byte)]
                guard value != 0xFF else { return false }
                accumulator = accumulator << 6 | UInt32(value)
                bits += 6
                if bits >= 8 {
                    bits -= 8
                    raw[written] = UInt8(truncatingIfNeeded: accumulator >> UInt32(bits))
                    written += 1
                }
            }
            // Left-over bits (2 or 4) must be zero for the canonical spelling.
            return accumulator & ((1 << UInt32(bits)) - 1) == 0
        }
        return valid ? output : nil
    }
}
