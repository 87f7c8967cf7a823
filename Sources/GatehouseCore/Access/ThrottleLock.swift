import Foundation

/// A lock one instance put on a throttled key, announced to the other instances sharing the
/// database (SPEC §2: "Several `serve` processes on one PostgreSQL database behave as one
/// server"), so a client locked out by one instance is refused by all of them.
///
/// Travels as a change notification's payload: `lock <until, Unix milliseconds> <key>`. Payloads of
/// other changes name a target type (`application`, …) and never start with `lock `.
public struct ThrottleLock: Sendable, Equatable {
    static let prefix = "lock "

    /// ``FailedAuthenticationThrottle/Key``'s text: `ip:<address>`, `ipname:<address> <account>`
    /// or `name:<account>`.
    public var key: String
    public var until: Date

    public init(key: String, until: Date) {
        self.key = key
        self.until = until
    }

    public var payload: String { Self.prefix + String(Int64((until.timeIntervalSince1970 * 1000).rounded(.up))) + " " + key }

    /// The lock a payload announces; `nil` for any other change.
    public init?(payload: String) {
        guard payload.hasPrefix(Self.prefix) else { return nil }
        let rest = payload.dropFirst(Self.prefix.count)
        guard let space = rest.firstIndex(of: " "), let milliseconds = Int64(rest[..<space]) else { return nil }
        let key = rest[rest.index(after: space)...]
        guard FailedAuthenticationThrottle.Key.Kind(text: key) != nil else { return nil }
        self.init(key: String(key), until: Date(timeIntervalSince1970: TimeInterval(milliseconds) / 1000))
    }

    public static func isLock(_ payload: String) -> Bool { payload.hasPrefix(prefix) }
}
