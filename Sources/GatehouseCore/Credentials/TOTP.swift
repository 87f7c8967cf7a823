import Crypto
internal import ExtrasBase64
import Foundation

/// Time-based one-time passwords (RFC 6238) as authenticator apps compute them: HMAC-SHA-1, six
/// digits, 30-second steps counted from the Unix epoch. The administrators' second factor of the
/// console (issue 16) is built on it; it holds no state, so the caller keeps the last step used.
public struct TOTP: Sendable {
    /// The shared secret `K` (RFC 4226 §5.1).
    public let secret: [UInt8]
    /// RFC 4226 §5.3: "Implementations MUST extract a 6-digit code at a minimum."
    public let digits: Int
    /// RFC 6238 §4.1: "X represents the time step in seconds (default value X = 30 seconds)".
    public let period: Int

    public init(secret: [UInt8], digits: Int = 6, period: Int = 30) {
        precondition((6...8).contains(digits) && period > 0, "TOTP needs 6-8 digits and a positive period")
        self.secret = secret
        self.digits = digits
        self.period = period
    }

    /// A new secret of 160 bits. RFC 4226 §4 R6: "The length of the shared secret MUST be at
    /// least 128 bits. This document RECOMMENDs a shared secret length of 160 bits."
    public static func generateSecret() -> [UInt8] {
        SystemRandomNumberGenerator.bytes(20)
    }

    /// RFC 6238 §4.2: `T = (Current Unix time - T0) / X`, rounded down, with `T0 = 0`.
    public func step(at now: Date) -> Int64 {
        Int64((now.timeIntervalSince1970 / Double(period)).rounded(.down))
    }

    /// RFC 4226 §5.3: `HOTP(K, C) = Truncate(HMAC-SHA-1(K, C))`, the last `digits` decimal digits
    /// of the 31-bit number at the offset the low nibble of the MAC's last byte names.
    public func code(forStep step: Int64) -> String {
        let counter = withUnsafeBytes(of: UInt64(bitPattern: step).bigEndian) { Array($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: counter, using: SymmetricKey(data: secret)))
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let binary = (UInt32(mac[offset] & 0x7F) << 24) | (UInt32(mac[offset + 1]) << 16)
            | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        let modulus = (0..<digits).reduce(UInt32(1)) { value, _ in value * 10 }
        let number = String(binary % modulus)
        return String(repeating: "0", count: digits - number.count) + number
    }

    public func code(at now: Date) -> String {
        code(forStep: step(at: now))
    }

    /// The step whose code `submitted` is, looking `window` steps either side of `now` for clock
    /// drift and typing time (RFC 6238 §5.2 recommends "at most one time step"), or nil. Every
    /// candidate is compared in full, in constant time. The caller MUST refuse a step not after
    /// the last one it accepted (RFC 6238 §5.2: "the verifier MUST NOT accept the second attempt
    /// of the same OTP after the successful validation has been issued").
    public func matchingStep(of submitted: String, at now: Date, window: Int = 1) -> Int64? {
        guard submitted.utf8.count == digits, submitted.utf8.allSatisfy({ (48...57).contains($0) }) else { return nil }
        let current = step(at: now), window = Int64(max(0, window))
        var matched: Int64?
        for step in (current - window)...(current + window) where constantTimeEquals(code(forStep: step), submitted) {
            matched = matched ?? step
        }
        return matched
    }

    /// The secret as authenticator apps take it typed in: RFC 4648 §6 base32, without padding.
    public var base32Secret: String {
        String(base32Encoding: secret, options: .omitPaddingCharacter)
    }

    /// The provisioning URI authenticator apps read from a QR code (Google Authenticator's Key
    /// Uri Format): `otpauth://totp/ISSUER:ACCOUNT?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30`,
    /// the label and the issuer percent-encoded.
    public func provisioningURI(issuer: String, account: String) -> String {
        let label = Self.percentEncoded(issuer) + ":" + Self.percentEncoded(account)
        return "otpauth://totp/\(label)?secret=\(base32Secret)&issuer=\(Self.percentEncoded(issuer))"
            + "&algorithm=SHA1&digits=\(digits)&period=\(period)"
    }

    /// RFC 3986 §2.3: everything but the unreserved characters is percent-encoded.
    private static func percentEncoded(_ text: String) -> String {
        text.utf8.map { byte in
            PathNormaliser.isUnreserved(byte) ? String(UnicodeScalar(byte)) : String(format: "%%%02X", byte)
        }.joined()
    }
}
