import Foundation

/// One entry of the audit log: who changed what, when, and from where.
///
/// `details` never holds a secret; it names changed fields, not their secret values.
public struct AuditEvent: Sendable, Equatable, Codable {
    public var id: String
    public var at: Date
    /// The admin key id (`adminkey:<id>`), the operator of the CLI (`cli`), the server itself
    /// (`system`), or `unknown` for a failed admin authentication (``AdminAuthFailureLog``).
    public var actor: String
    /// Dotted verb such as `application.create`.
    public var action: String
    public var targetType: String
    public var targetId: String
    /// `null` when unknown, so the field is always present.
    @AlwaysEncoded public var ip: String?
    public var details: [String: String]

    public init(
        id: String, at: Date, actor: String, action: String, targetType: String,
        targetId: String, ip: String?, details: [String: String] = [:]
    ) {
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.targetType = targetType
        self.targetId = targetId
        self.ip = ip
        self.details = details
    }
}

/// Who is making a change, recorded with every audit event.
public struct AuditActor: Sendable, Equatable {
    public var name: String
    public var ip: String?

    public init(name: String, ip: String?) {
        self.name = name
        self.ip = ip
    }

    /// The command-line operator, working on the database directly.
    public static let commandLine = AuditActor(name: "cli", ip: nil)
}
