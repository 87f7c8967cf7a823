import Crypto
import Foundation

/// Hashes generated high-entropy secrets with HMAC-SHA256 under a server-side pepper.
///
/// A KDF buys nothing for 256-bit random secrets (no dictionary to guess from) and would cost
/// ~100 ms per request; a keyed hash costs ~5 µs and, without the pepper, a stolen database
/// cannot even be used to test candidate secrets.
public struct SecretHasher: Sendable {
    private let key: SymmetricKey

    public init(pepper: SymmetricKey) {
        self.key = pepper
    }

    /// Lower-case hex of HMAC-SHA256(pepper, secret).
    public func hash(_ secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(secret.utf8), using: key)
        return mac.hexString
    }

    /// Whether `secret` hashes to `storedHash`, compared in constant time.
    public func verify(_ secret: String, against storedHash: String) -> Bool {
        constantTimeEquals(hash(secret), storedHash)
    }
}

/// Compares two strings in time that depends only on their lengths, not their contents.
public func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
    let left = Array(lhs.utf8)
    let right = Array(rhs.utf8)
    guard left.count == right.count else { return false }
    var difference: UInt8 = 0
    for index in left.indices {
        difference |= left[index] ^ right[index]
    }
    return difference == 0
}

extension Sequence<UInt8> {
    /// Lower-case hexadecimal digits of the bytes.
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var output: [UInt8] = []
        output.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            output.append(digits[Int(byte >> 4)])
            output.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: output, as: UTF8.self)
    }
}
