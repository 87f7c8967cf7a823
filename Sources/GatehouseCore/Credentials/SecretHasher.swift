import Crypto
import Foundation

/// Hashes generated high-entropy secrets with HMAC-SHA256 under a server-side pepper.
///
/// A KDF buys nothing for 256-bit random secrets (no dictionary to guess from) and would cost
/// ~100 ms per request; a keyed hash costs ~5 µs and, without the pepper, a stolen database
/// cannot even be used to test candidate secrets.
public struct SecretHasher: Sendable {
    /// HMAC keyed with the pepper once: copying it (the hash states are copy-on-write) skips
    /// re-deriving the padded keys on every secret, which was a third of each verification.
    private let keyed: HMAC<SHA256>

    public init(pepper: SymmetricKey) {
        self.keyed = HMAC<SHA256>(key: pepper)
    }

    /// Lower-case hex of HMAC-SHA256(pepper, secret).
    public func hash(_ secret: String) -> String {
        code(secret).withUnsafeBytes { $0.hexString }
    }

    /// Whether `secret` hashes to `storedHash`, compared in constant time: the lower-case hex
    /// digits of the code are compared with `storedHash`'s bytes without building either string.
    public func verify(_ secret: String, against storedHash: String) -> Bool {
        let code = code(secret)
        guard storedHash.utf8.count == SHA256.byteCount * 2 else { return false }
        var difference: UInt8 = 0
        var stored = storedHash.utf8.makeIterator()
        for byte in code {
            difference |= (stored.next() ?? 0) ^ hexDigit(byte >> 4)
            difference |= (stored.next() ?? 0) ^ hexDigit(byte & 0x0F)
        }
        return difference == 0
    }

    private func code(_ secret: String) -> HashedAuthenticationCode<SHA256> {
        var mac = keyed
        var secret = secret
        secret.withUTF8 { mac.update(data: UnsafeRawBufferPointer($0)) }
        return mac.finalize()
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
