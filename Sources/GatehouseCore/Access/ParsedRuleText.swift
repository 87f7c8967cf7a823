/// An application's rule text (an `allowedIPs` entry, a `resources` pattern) parsed once, when the
/// application is loaded or validated, into the form the policy checks (``AllowedIP``,
/// ``ResourcePattern``). Two values are equal when their texts are, and each is shown as its text,
/// so the admin API's JSON is the stored strings, unchanged.
public protocol ParsedRuleText: Sendable, Hashable, Encodable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// Parses `text`; never fails: a text that parses to nothing matches nothing.
    init(_ text: String)
}

extension ParsedRuleText {
    public init(stringLiteral value: String) {
        self.init(value)
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.description == rhs.description }

    public func hash(into hasher: inout Hasher) { hasher.combine(description) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
