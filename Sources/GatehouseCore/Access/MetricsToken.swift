import Crypto
import Foundation

/// The bearer token `/metrics` asks for when `GATEHOUSE_METRICS_TOKEN` is set (issue 14 point 12).
///
/// Only its SHA-256 digest is kept, and a presented token is compared digest to digest in constant
/// time, so neither its content nor its length shows in the answer time.
public struct MetricsToken: Sendable {
    /// Fewer characters would be guessable; a token is generated (`openssl rand -base64 32`), not chosen.
    public static let minimumLength = 32
    private let digest: [UInt8]

    /// Refuses a token shorter than ``minimumLength`` or holding anything but visible ASCII
    /// (it must travel in an `Authorization` header unchanged).
    public init(_ token: String) throws {
        guard token.utf8.count >= Self.minimumLength, token.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw ValidationError(
                field: "GATEHOUSE_METRICS_TOKEN",
                message: "must be at least \(Self.minimumLength) visible ASCII characters without spaces (e.g. `openssl rand -base64 32`)"
            )
        }
        digest = Array(SHA256.hash(data: Data(token.utf8)))
    }

    public func matches(_ presented: String) -> Bool {
        let other = Array(SHA256.hash(data: Data(presented.utf8)))
        var difference: UInt8 = 0
        for index in digest.indices { difference |= digest[index] ^ other[index] }
        return difference == 0
    }
}
