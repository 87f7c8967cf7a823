import Crypto

/// The wire format of every generated secret: `<prefix><43 base62 chars of 256 random bits><6
/// base62 chars of CRC-32 over prefix and body>`, for example `ghcs_3xK…Qz0aB1c2`.
///
/// The checksum is not a security feature: it lets Gatehouse reject a mistyped or foreign string
/// without touching the database, and lets secret scanners find leaked ones with few false hits.
public enum SecretFormat {
    public static let randomByteCount = 32
    static let bodyLength = Base62.width(forByteCount: randomByteCount)
    static let checksumLength = 6

    /// A new secret of `kind` with 256 bits from the system's secure random generator.
    public static func generate(_ kind: SecretKind) -> String {
        let bytes = SystemRandomNumberGenerator.bytes(randomByteCount)
        let body = kind.prefix + Base62.encode(bytes, width: bodyLength)
        return body + checksum(of: body)
    }

    /// Whether `candidate` is a well-formed secret of `kind`: prefix, length, alphabet, checksum.
    /// Reads the bytes in place and compares the checksum as a number: this runs on every API key
    /// check, before the cache.
    public static func isWellFormed(_ candidate: String, as kind: SecretKind) -> Bool {
        var candidate = candidate
        return candidate.withUTF8 { utf8 in
            let prefix = kind.prefix.utf8
            guard utf8.count == prefix.count + bodyLength + checksumLength, utf8.starts(with: prefix) else { return false }
            let bodyEnd = utf8.count - checksumLength
            guard utf8[prefix.count..<bodyEnd].allSatisfy(Base62.isBase62),
                  let stated = Base62.decode(utf8[bodyEnd...])
            else { return false }
            return stated == UInt64(CRC32.checksum(utf8[..<bodyEnd]))
        }
    }

    /// The kind whose format `candidate` has, if any.
    public static func kind(of candidate: String) -> SecretKind? {
        SecretKind.allCases.first { isWellFormed(candidate, as: $0) }
    }

    static func checksum(of body: String) -> String {
        let crc = CRC32.checksum(body.utf8)
        let bytes = [UInt8(crc >> 24 & 0xFF), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)]
        return Base62.encode(bytes, width: checksumLength)
    }
}
