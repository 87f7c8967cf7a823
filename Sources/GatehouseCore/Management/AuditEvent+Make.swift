import Foundation

extension AuditEvent {
    /// An event for `action` on `targetType` `targetId` by `actor` at `now`.
    public static func make(
        _ action: String, _ targetType: String, _ targetId: String, by actor: AuditActor, at now: Date,
        details: [String: String] = [:]
    ) -> AuditEvent {
        AuditEvent(
            id: UUID().uuidString.lowercased(), at: now, actor: actor.name, action: action,
            targetType: targetType, targetId: targetId, ip: actor.ip, details: details
        )
    }
}
