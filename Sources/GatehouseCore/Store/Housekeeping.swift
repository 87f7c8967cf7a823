import Foundation

/// The database's health and its periodic clean-up.
public protocol Housekeeping: Sendable {
    /// Succeeds when the database answers a trivial query.
    func ping() async throws

    /// Deletes expired refresh tokens and revocation entries and retires published keys whose
    /// tokens have all expired. Returns the number of rows removed or changed.
    @discardableResult
    func prune(now: Date) async throws -> Int
}

extension Housekeeping where Self: StoreWrapper {
    public func ping() async throws { try await base.ping() }

    @discardableResult
    public func prune(now: Date) async throws -> Int { try await base.prune(now: now) }
}
