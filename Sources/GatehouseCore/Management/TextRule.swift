import Foundation

/// The rule of a free-text field, shared by every resource: the text is trimmed of white space and
/// line breaks, then must be non-empty (unless `allowEmpty`), at most `maxLength` characters, and
/// free of control characters (tab and line feed allowed only where `allowsTabAndLineFeed`).
///
/// The messages are the API's (SPEC §6 `{"error": "invalid_request", "field", "message"}`):
/// "must not be empty", "must be at most N characters", "must not contain control characters".
struct TextRule: Sendable {
    let field: String
    let maxLength: Int
    var allowEmpty = false
    var allowsTabAndLineFeed = true

    /// The trimmed text, or a ``ValidationError`` naming `field`.
    func valid(_ text: String) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard allowEmpty || !trimmed.isEmpty else { throw ValidationError(field: field, message: "must not be empty") }
        guard trimmed.unicodeScalars.count <= maxLength else { throw ValidationError(field: field, message: "must be at most \(maxLength) characters") }
        guard !containsRefusedControl(trimmed) else { throw ValidationError(field: field, message: "must not contain control characters") }
        return trimmed
    }

    /// Whether `text` (already trimmed) passes, for list rules that word their own message.
    func accepts(_ text: String) -> Bool {
        (allowEmpty || !text.isEmpty) && text.unicodeScalars.count <= maxLength && !containsRefusedControl(text)
    }

    private func containsRefusedControl(_ text: String) -> Bool {
        text.unicodeScalars.contains { scalar in
            scalar.properties.generalCategory == .control && !(allowsTabAndLineFeed && (scalar == "\n" || scalar == "\t"))
        }
    }
}
