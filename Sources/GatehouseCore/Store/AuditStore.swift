import Foundation

/// The audit log. Changes write their entry themselves, in their own transaction.
public protocol AuditStore: Sendable {
    func auditEvents(_ page: PageRequest) async throws -> Page<AuditEvent>
    /// Appends entries that record no change (failed admin authentications), in one transaction.
    func insertAuditEvents(_ events: [AuditEvent]) async throws
}

extension AuditStore where Self: StoreWrapper {
    public func auditEvents(_ page: PageRequest) async throws -> Page<AuditEvent> { try await base.auditEvents(page) }
    public func insertAuditEvents(_ events: [AuditEvent]) async throws { try await base.insertAuditEvents(events) }
}
