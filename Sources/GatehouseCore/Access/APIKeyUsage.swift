import Foundation
import Synchronization

/// When API keys were last used, collected in memory and written in one batch (``flush(to:)``,
/// every few seconds by the server) instead of one database write per request.
public final class APIKeyUsage: Sendable {
    private let pending = Mutex<[String: Date]>([:])

    public init() {}

    /// Notes that the key with this id was used at `date` (the latest date per key is kept).
    public func record(_ id: String, at date: Date) {
        pending.withLock { pending in
            if let known = pending[id], known >= date { return }
            pending[id] = date
        }
    }

    /// The uses noted since the last flush, by key id.
    public var pendingUses: [String: Date] { pending.withLock { $0 } }

    /// Writes the noted uses with one ``Store/recordAPIKeyUse(_:)`` call. When the write fails the
    /// uses are kept for the next flush, and the error is thrown.
    public func flush(to store: any Store) async throws {
        try await flush { try await store.recordAPIKeyUse($0) }
    }

    /// Writes the noted uses with one call of `write` (admin keys' last use shares this batching).
    /// When the write fails the uses are kept for the next flush, and the error is thrown.
    public func flush(with write: ([String: Date]) async throws -> Void) async throws {
        let batch = pending.withLock { pending in
            defer { pending = [:] }
            return pending
        }
        guard !batch.isEmpty else { return }
        do {
            try await write(batch)
        } catch {
            pending.withLock { pending in
                pending.merge(batch) { newer, older in max(newer, older) }
            }
            throw error
        }
    }
}
