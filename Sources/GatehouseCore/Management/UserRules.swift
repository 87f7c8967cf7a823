import Foundation

/// The rules every user's fields obey, applied on create and on every update.
enum UserRules {
    static let maxUsernameLength = 200
    static let minPasswordLength = 8
    static let maxUnits = 100
    static let maxUnitLength = 100

    /// Trimmed, 1-200 characters, no control characters, and no `:`: an API user's username is
    /// its client id, which HTTP Basic sends as the user-id, and RFC 7617 §2 forbids a colon there.
    /// Every user obeys it, since any user can become an API user later.
    static func validUsername(_ username: String) throws -> String {
        let trimmed = username.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw ValidationError(field: "username", message: "must not be empty") }
        guard trimmed.unicodeScalars.count <= maxUsernameLength else {
            throw ValidationError(field: "username", message: "must be at most \(maxUsernameLength) characters")
        }
        guard !containsControlCharacter(trimmed) else {
            throw ValidationError(field: "username", message: "must not contain control characters")
        }
        guard !trimmed.contains(":") else {
            throw ValidationError(field: "username", message: "must not contain ':' (an API user's username is an HTTP Basic user-id, RFC 7617 §2)")
        }
        return trimmed
    }

    /// Taken exactly as given (never trimmed): at least 8 characters (Unicode code points, as NIST
    /// SP 800-63B counts them) and at most 1024 UTF-8 bytes.
    static func validPassword(_ password: String) throws -> String {
        guard password.unicodeScalars.count >= minPasswordLength else {
            throw ValidationError(field: "password", message: "must be at least \(minPasswordLength) characters")
        }
        guard password.utf8.count <= PasswordHasher.maxPasswordBytes else {
            throw ValidationError(field: "password", message: "must be at most \(PasswordHasher.maxPasswordBytes) bytes")
        }
        return password
    }

    /// At most 100 units of 1-100 characters each, trimmed, without control characters;
    /// duplicates are dropped (keeping the first).
    static func validUnits(_ units: [String]) throws -> [String] {
        guard units.count <= maxUnits else { throw ValidationError(field: "units", message: "must have at most \(maxUnits) entries") }
        var seen = Set<String>()
        var result = [String]()
        for unit in units {
            let trimmed = unit.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty, trimmed.unicodeScalars.count <= maxUnitLength, !containsControlCharacter(trimmed) else {
                throw ValidationError(
                    field: "units", message: "'\(unit.prefix(100))' is not a unit name (1-\(maxUnitLength) characters, no control characters)"
                )
            }
            if seen.insert(trimmed).inserted { result.append(trimmed) }
        }
        return result
    }

    static func containsControlCharacter(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }
}
