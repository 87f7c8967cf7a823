import Foundation

/// Base64url without padding (RFC 7515 §2, "Base64url Encoding"; RFC 4648 §5).
///
/// Table-driven over bytes: every token issued and every token checked goes through here several
/// times, and Foundation's base64 plus character replacement was a third of a JWT check's CPU.
public enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// The 6-bit value of each byte of the alphabet; 0xFF for every other byte.
    private static let values = decodingTable(alphabet)

    static func decodingTable(_ alphabet: [UInt8]) -> [UInt8] {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(value) }
        return table
    }

    public static func encode<Bytes: DataProtocol>(_ bytes: Bytes) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count * 4 + 2) / 3)
        append(Array(bytes), to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends the encoding of `input` to `output`.
    public static func append(_ input: [UInt8], to output: inout [UInt8]) {
        @inline(__always) func emit(_ sixBits: UInt32) {
            output.append(alphabet[Int(sixBits & 0x3F)])
        }
        var index = 0
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
    }

    /// Decodes strictly: only the base64url alphabet, no padding, no whitespace, and only the
    /// canonical spelling — unused trailing bits must be zero (RFC 4648 §3.5), so a token has
    /// exactly one valid text.
    public static func decode(_ text: Substring) -> Data? {
        var text = text
        return text.withUTF8 { decode(utf8: $0) }
    }

    static func decode(utf8 input: UnsafeBufferPointer<UInt8>, values: [UInt8] = values, canonical: Bool = true) -> Data? {
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
            return !canonical || accumulator & ((1 << UInt32(bits)) - 1) == 0
        }
        return valid ? output : nil
    }
}

/// Standard base64 with its padding (RFC 4648 §4), as HTTP Basic credentials carry it (RFC 7617
/// §2). As lenient as Foundation's decoder, which it replaces there: any run of `=` that keeps the
/// length a multiple of four, and non-zero leftover bits, which RFC 4648 §3.5 lets a decoder
/// ignore. No whitespace and no other alphabet.
public enum Base64 {
    private static let values = Base64URL.decodingTable(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8))

    public static func decode(_ text: Substring) -> Data? {
        var text = text
        return text.withUTF8 { bytes -> Data? in
            guard bytes.count % 4 == 0 else { return nil }
            var length = bytes.count
            while length > 0, bytes[length - 1] == UInt8(ascii: "=") { length -= 1 }
            guard length % 4 != 1 else { return nil }
            return Base64URL.decode(utf8: UnsafeBufferPointer(rebasing: bytes[..<length]), values: values, canonical: false)
        }
    }
}
