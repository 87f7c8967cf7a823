import Foundation
import Synchronization

/// Which failed admin authentications reach the audit log (issue 14 point 10), so that a flood
/// leaves a trace without filling the table:
///
/// - per client address, at most one row every `window` (60 s): the first failure after a quiet
///   window is written at once; failures within the window are counted, and the count is written
///   with the address's next row (its next failure after the window, or ``sweep(now:)`` once the
///   window has passed);
/// - from all addresses together, at most `rowsPerWindow` (60) rows per window; failures past it,
///   or from more than `maxAddresses` (10,000) addresses at once, are counted into one overflow row
///   (no address) per window.
///
/// A row holds the action `adminkey.authenticate.failure`, the actor `unknown`, the client address,
/// `details.count` (failures it stands for) and, when the last one presented a well-formed admin
/// key, `details.keyPrefix` (the key's public prefix, never more; ``AdminKeyManager/loggablePrefix(of:)``).
public final class AdminAuthFailureLog: Sendable {
    public static let action = "adminkey.authenticate.failure"

    public struct Limits: Sendable {
        public var window: TimeInterval = 60
        public var rowsPerWindow = 60
        public var maxAddresses = 10_000
        public init() {}
    }

    struct Tally {
        /// When this address's last row was written.
        var lastRow: Date
        /// Failures since that row.
        var unwritten = 0
        var keyPrefix: String?
    }

    struct State {
        var addresses: [String: Tally] = [:]
        var windowStart: Date?
        var rowsInWindow = 0
        var overflow = 0
        /// Overflow of finished windows, not yet written.
        var overflowOwed = 0
    }

    private let limits: Limits
    private let state = Mutex(State())

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Notes one failure from `ip` (`nil`: unknown) and returns the row to write now, if any.
    public func record(ip: String?, keyPrefix: String?, now: Date) -> AuditEvent? {
        let limits = limits
        return state.withLock { state -> AuditEvent? in
            Self.roll(&state, now: now, window: limits.window)
            let address = ip ?? "-"
            if var tally = state.addresses[address] {
                tally.unwritten += 1
                tally.keyPrefix = keyPrefix
                guard now >= tally.lastRow.addingTimeInterval(limits.window), state.rowsInWindow < limits.rowsPerWindow else {
                    state.addresses[address] = tally
                    return nil
                }
                state.rowsInWindow += 1
                state.addresses[address] = Tally(lastRow: now)
                return Self.row(ip: ip, count: tally.unwritten, keyPrefix: keyPrefix, now: now)
            }
            guard state.rowsInWindow < limits.rowsPerWindow, state.addresses.count < limits.maxAddresses else {
                state.overflow += 1
                return nil
            }
            state.rowsInWindow += 1
            state.addresses[address] = Tally(lastRow: now)
            return Self.row(ip: ip, count: 1, keyPrefix: keyPrefix, now: now)
        }
    }

    /// The rows owed now: the overflow of a finished global window, and the counts of addresses
    /// whose window has passed (within the global budget). Addresses with nothing owed are forgotten.
    public func sweep(now: Date) -> [AuditEvent] {
        let limits = limits
        return state.withLock { state in
            Self.roll(&state, now: now, window: limits.window)
            var rows: [AuditEvent] = []
            if state.overflowOwed > 0 {
                rows.append(Self.row(ip: nil, count: state.overflowOwed, keyPrefix: nil, now: now))
                state.overflowOwed = 0
            }
            for (address, tally) in state.addresses where now >= tally.lastRow.addingTimeInterval(limits.window) {
                guard tally.unwritten > 0 else {
                    state.addresses[address] = nil
                    continue
                }
                guard state.rowsInWindow < limits.rowsPerWindow else { break }
                state.rowsInWindow += 1
                state.addresses[address] = Tally(lastRow: now)
                rows.append(Self.row(ip: address == "-" ? nil : address, count: tally.unwritten, keyPrefix: tally.keyPrefix, now: now))
            }
            return rows
        }
    }

    /// Starts a new global window when the current one has passed; its overflow is owed to the
    /// next ``sweep(now:)``.
    private static func roll(_ state: inout State, now: Date, window: TimeInterval) {
        if let start = state.windowStart, now < start.addingTimeInterval(window) { return }
        state.overflowOwed += state.overflow
        state.overflow = 0
        state.windowStart = now
        state.rowsInWindow = 0
    }

    private static func row(ip: String?, count: Int, keyPrefix: String?, now: Date) -> AuditEvent {
        var details = ["count": String(count)]
        if let keyPrefix { details["keyPrefix"] = keyPrefix }
        return .make(action, "adminkey", keyPrefix ?? "-", by: AuditActor(name: "unknown", ip: ip), at: now, details: details)
    }
}
