import Foundation
import GatehouseCore
import SQLKit

extension SQLStore {
    static func insert(_ event: AuditEvent, on database: any SQLDatabase) async throws {
        let details = String(decoding: try JSONEncoder().encode(event.details), as: UTF8.self)
        try await database.raw("""
            INSERT INTO audit_events (id, at, actor, action, target_type, target_id, ip, details)
            VALUES (\(bind: event.id), \(bind: event.at.epochMilliseconds), \(bind: event.actor), \(bind: event.action),
                    \(bind: event.targetType), \(bind: event.targetId), \(bind: event.ip), \(bind: details))
            """).run()
    }

    /// Entries that record no change (failed admin authentications): nothing to announce.
    public func insertAuditEvents(_ events: [AuditEvent]) async throws {
        guard !events.isEmpty else { return }
        try await executor.transaction { database in
            for event in events { try await Self.insert(event, on: database) }
        }
    }

    public func auditEvents(_ request: PageRequest) async throws -> Page<AuditEvent> {
        let filter = Self.keywordFilter(request.keywords, columns: ["action", "actor", "target_type", "target_id"])
        return try await page(from: "audit_events", where: filter, orderBy: "at DESC, id DESC", request) { row in
            AuditEvent(
                id: try row.decode(column: "id", as: String.self),
                at: try row.date("at"),
                actor: try row.decode(column: "actor", as: String.self),
                action: try row.decode(column: "action", as: String.self),
                targetType: try row.decode(column: "target_type", as: String.self),
                targetId: try row.decode(column: "target_id", as: String.self),
                ip: try row.decode(column: "ip", as: String?.self),
                details: try JSONDecoder().decode([String: String].self, from: Data(try row.decode(column: "details", as: String.self).utf8))
            )
        }
    }
}
