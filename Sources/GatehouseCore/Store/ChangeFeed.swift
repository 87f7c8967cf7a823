import Foundation

/// How instances sharing one database tell each other what changed, so that each drops its caches.
public protocol ChangeFeed: Sendable {
    /// Calls `handler` with the target type (`application`, `apikey`, `user`, …) of every change
    /// committed by any instance sharing this database, until cancelled; `"*"` means "anything may
    /// have changed" (after a reconnect). Instances use it to drop caches at once (PostgreSQL
    /// LISTEN/NOTIFY); an embedded SQLite database has one instance, so it never calls.
    func listenForChanges(_ handler: @escaping @Sendable (String) -> Void) async throws

    /// Sends `message` to every instance's ``listenForChanges(_:)`` handler, this one's included
    /// (PostgreSQL NOTIFY, delivered at once, not in a transaction). An embedded SQLite database
    /// has one instance: nothing to tell.
    func announce(_ message: String) async throws

    /// Whether this store's change feed must vouch for cached data before caches may answer
    /// (``ChangeFeedTrust``): PostgreSQL, shared by instances; not the embedded SQLite file.
    var changeFeedNeedsVouching: Bool { get }

    /// Whether memory may answer at `now` in place of this store (``CachedStore`` says no while
    /// the change feed cannot vouch for what it holds); caches in front of a store ask it first.
    func cachesAreTrusted(now: Date) -> Bool
}

extension ChangeFeed {
    public var changeFeedNeedsVouching: Bool { false }
    public func cachesAreTrusted(now: Date) -> Bool { true }
}

extension ChangeFeed where Self: StoreWrapper {
    public func listenForChanges(_ handler: @escaping @Sendable (String) -> Void) async throws {
        try await base.listenForChanges(handler)
    }
    public func announce(_ message: String) async throws { try await base.announce(message) }
    public var changeFeedNeedsVouching: Bool { base.changeFeedNeedsVouching }
    public func cachesAreTrusted(now: Date) -> Bool { base.cachesAreTrusted(now: now) }
}
