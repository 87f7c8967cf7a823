/// An application's assigned resource (SPEC §1), e.g. `/v1/orders/*/items` or `/v1/**`.
///
/// Patterns are absolute paths (validated by `ApplicationRules.validResources`) whose segments are:
/// - a literal, compared exactly and case-sensitively with the path segment (RFC 3986 §6.2.2.1:
///   only scheme and host are case-insensitive), so `/V1/orders` does not match `/v1/**`;
/// - `*`, matching exactly one (non-empty) segment: `/v1/*` matches `/v1/a`, not `/v1` or `/v1/a/b`;
/// - `**` as the last segment, matching zero or more segments: `/v1/**` matches `/v1`, `/v1/`,
///   `/v1/a` and `/v1/a/b`, but not `/v10`. A `**` anywhere else makes the pattern match nothing.
///
/// The pattern `/` matches only `/`; `/**` matches every path. Both sides are compared in
/// ``PathNormaliser`` form, so `%7E` in one equals `~` in the other; a trailing slash is a
/// literal empty segment, so `/v1/orders/` matches `/v1/orders/**` but not `/v1/orders` or
/// `/v1/*`. A path or pattern that ``PathNormaliser`` refuses (or a pattern with `?` or `#`)
/// matches nothing.
///
/// A value holds the pattern's text (as stored and shown) and its segments, parsed once when the
/// application is loaded or validated rather than on every request.
public struct ResourcePattern: ParsedRuleText {
    /// The pattern as stored, e.g. `/v1/orders/*/items`.
    public let description: String
    /// The normalised segments, or nil when the pattern can match nothing.
    let segments: [String]?

    public init(_ text: String) {
        self.description = text
        self.segments = Self.segments(ofPattern: text)
    }

    /// Whether the pattern matches a path already split by ``PathNormaliser/segments(of:)``.
    public func matches(pathSegments path: [String]) -> Bool {
        segments.map { Self.matches($0, pathSegments: path) } == true
    }

    public static func matches(_ pattern: String, path: String) -> Bool {
        guard let pathSegments = PathNormaliser.segments(of: path) else { return false }
        return ResourcePattern(pattern).matches(pathSegments: pathSegments)
    }

    /// The pattern's normalised segments, or `nil` if it cannot match anything.
    static func segments(ofPattern pattern: String) -> [String]? {
        guard !pattern.contains("?"), !pattern.contains("#") else { return nil }
        return PathNormaliser.segments(of: pattern)
    }

    /// Matches already-normalised segments (see ``PathNormaliser/segments(of:)``).
    static func matches(_ pattern: [String], pathSegments path: [String]) -> Bool {
        if pattern.last == "**" {
            let prefix = pattern.dropLast()
            return path.count >= prefix.count && segmentsMatch(prefix, path.prefix(prefix.count))
        }
        return path.count == pattern.count && segmentsMatch(pattern[...], path[...])
    }

    private static func segmentsMatch(_ pattern: ArraySlice<String>, _ path: ArraySlice<String>) -> Bool {
        zip(pattern, path).allSatisfy { expected, actual in
            switch expected {
            case "*": !actual.isEmpty
            case "**": false
            default: expected == actual
            }
        }
    }
}
