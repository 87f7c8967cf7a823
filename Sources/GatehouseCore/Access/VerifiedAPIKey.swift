import Foundation

/// An API key that verified, with the owner it was loaded with: the application whose policy
/// applies to an application's key, or the user a user's key acts as.
public struct VerifiedAPIKey: Sendable, Equatable {
    /// The key as in force. For an application's key, its scopes are bounded by the application's
    /// current scopes: an application that loses a scope takes it from its keys too (as from its
    /// refresh tokens).
    public var key: APIKey
    /// The owning application, for an application's key.
    public var application: Application?
    /// The owning user, for a user's key.
    public var user: User?

    public init(key: APIKey, application: Application? = nil, user: User? = nil) {
        self.key = key
        self.application = application
        self.user = user
    }

    /// `sub`: the owning user's id, or the owning application's client id.
    public var subject: String { user?.id ?? application?.clientId ?? key.id }

    /// The owning application's client id; nil for a user's key.
    public var clientId: String? { application?.clientId }

    /// Usable at `now`: the key is neither disabled nor expired, and its owner is not disabled.
    public func isUsable(at now: Date) -> Bool {
        guard key.isUsable(at: now) else { return false }
        if let application { return !application.disabled && application.organisationId == key.organisationId }
        if let user { return user.isActive(in: key.organisationId) }
        return false
    }
}
