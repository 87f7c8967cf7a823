import Foundation

/// The rules every API key's fields obey, applied on create and on every update.
enum APIKeyRules {
    static let maxNameLength = 200
    static let maxDescriptionLength = 2000

    static let name = TextRule(field: "name", maxLength: maxNameLength)
    static let description = TextRule(field: "description", maxLength: maxDescriptionLength, allowEmpty: true)

    static func validName(_ text: String) throws -> String {
        try name.valid(text)
    }

    static func validDescription(_ text: String?) throws -> String? {
        try text.map(description.valid)
    }

    /// Exactly one owner: an application or a user.
    static func requireOneOwner(application: String?, user: String?) throws {
        guard (application == nil) != (user == nil) else {
            throw ValidationError(field: "application", message: "exactly one of application or user is required")
        }
    }

    /// RFC 6749 §3.3 scope tokens; an application's key may hold only scopes of its application
    /// (a key never grants more than its owner may ask for).
    static func validScopes(_ scopes: [String], application: Application?) throws -> [String] {
        let valid = try ApplicationRules.validScopes(scopes)
        if let application, let outside = valid.first(where: { !application.scopes.contains($0) }) {
            throw ValidationError(field: "scopes", message: "'\(outside)' is not a scope of the application")
        }
        return valid
    }

    /// An RFC 3339 date-time after `now`, kept to whole seconds (as it is shown, and as the
    /// introspection `exp` NumericDate counts).
    static func validExpiresAt(_ text: String?, now: Date) throws -> Date? {
        guard let text else { return nil }
        guard let date = RFC3339.date(text) else {
            throw ValidationError(field: "expiresAt", message: "must be an RFC 3339 date-time with a time offset, e.g. 2030-01-31T12:00:00Z")
        }
        let whole = Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
        guard whole > now else { throw ValidationError(field: "expiresAt", message: "must be in the future") }
        return whole
    }
}
