#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A random (version 4) UUID as lower-case text, the same as `UUID().uuidString.lowercased()`
/// (the store's ids) at a fraction of the cost on Linux, where Foundation's takes ~5–7 µs: every
/// token's `jti` and every refresh token's id and family come from here.
public enum RandomUUID {
    public static func make() -> String {
        var bytes = IdentifierRandomness.bytes16()
        bytes[6] = bytes[6] & 0x0F | 0x40  // version 4 (RFC 9562 §5.4)
        bytes[8] = bytes[8] & 0x3F | 0x80  // variant 10
        var text = [UInt8]()
        text.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
            text.append(hexDigit(byte >> 4))
            text.append(hexDigit(byte & 0x0F))
        }
        return String(decoding: text, as: UTF8.self)
    }
}

/// The kernel's random bytes for identifiers, fetched 4 KiB at a time: `SystemRandomNumberGenerator`
/// makes one getrandom(2) call per 8 bytes, two system calls per UUID; this is three per 256
/// UUIDs. For identifiers only (unique, unguessable names); secrets come from
/// ``SecretFormat/generate(_:)``.
enum IdentifierRandomness {
    private static let poolSize = 4096
    private static let pool = Mutex<(bytes: [UInt8], used: Int)>(([], 0))

    static func bytes16() -> [UInt8] {
        pool.withLock { pool in
            if pool.used + 16 > pool.bytes.count {
                pool.bytes = fresh(poolSize)
                pool.used = 0
            }
            defer { pool.used += 16 }
            return Array(pool.bytes[pool.used..<pool.used + 16])
        }
    }

    private static func fresh(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        #if canImport(Darwin)
        bytes.withUnsafeMutableBytes { arc4random_buf($0.baseAddress!, count) }
        return bytes
        #else
        // /dev/urandom is getrandom(2)'s pool (Glibc's module map does not export getrandom).
        let descriptor = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
        if descriptor >= 0 {
            defer { close(descriptor) }
            var filled = 0
            while filled < count {
                let got = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + filled, count - filled) }
                if got > 0 { filled += got } else if got == 0 || errno != EINTR { break }
            }
            if filled == count { return bytes }
        }
        // No /dev/urandom (a bare chroot): the standard library's generator.
        return SystemRandomNumberGenerator.bytes(count)
        #endif
    }
}
