import Foundation

/// The rules of consumer credentials' fields, and how their secrets are made.
enum ConsumerCredentialRules {
    static let maxIdentifierLength = 200
    /// Digits of a generated pass code. Pass codes are meant to be typed by people (CRM.COM style),
    /// so they are short and low-entropy: they are hashed with the password KDF, never a keyed hash.
    static let passCodeLength = 8

    static func validKind(_ kind: String) throws -> ConsumerCredential.Kind {
        guard let valid = ConsumerCredential.Kind(rawValue: kind) else {
            throw ValidationError(field: "kind", message: "must be 'authentication_code' or 'pass_code'")
        }
        return valid
    }

    /// Required for `pass_code` (trimmed, 1-200 characters, no control characters), refused for
    /// `authentication_code` (its code is the whole credential).
    static func validIdentifier(_ identifier: String?, kind: ConsumerCredential.Kind) throws -> String? {
        switch kind {
        case .authenticationCode:
            guard identifier == nil else {
                throw ValidationError(field: "identifier", message: "is only allowed with kind 'pass_code'")
            }
            return nil
        case .passCode:
            guard let identifier else { throw ValidationError(field: "identifier", message: "is required with kind 'pass_code'") }
            let trimmed = identifier.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { throw ValidationError(field: "identifier", message: "must not be empty") }
            guard trimmed.unicodeScalars.count <= maxIdentifierLength else {
                throw ValidationError(field: "identifier", message: "must be at most \(maxIdentifierLength) characters")
            }
            guard !UserRules.containsControlCharacter(trimmed) else {
                throw ValidationError(field: "identifier", message: "must not contain control characters")
            }
            return trimmed
        }
    }

    /// `passCodeLength` decimal digits from the system's secure random generator.
    static func generatePassCode() -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<passCodeLength).map { _ in Character(String(Int.random(in: 0...9, using: &generator))) })
    }
}
