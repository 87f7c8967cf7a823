/// The method a request may be turned into by a method-override convention that upstream
/// frameworks honour, so that policy can judge it too (issue 14 point 4):
///
/// - the headers `X-HTTP-Method-Override` (Express `method-override`, Symfony, Google APIs),
///   `X-HTTP-Method` (OData, ASP.NET) and `X-Method-Override`, in any case and with `_` for `-`
///   (see ``HeaderNameFolding``);
/// - the `_method` query parameter (Symfony/Laravel read it from the query of a POST; PHP reads
///   `.method`, ` _method` and `[method` as `_method` too, so the name is folded the same way).
///
/// Every spelling present must name the same method (compared upper-cased, as the frameworks
/// upper-case it), and it must be an RFC 9110 §9.1 method token; otherwise the request is
/// ``ambiguous`` and refused. A `_method` in a *form body* is not seen (bodies are not read).
public enum MethodOverride: Sendable, Equatable {
    case none
    /// The overriding method, ASCII upper-cased.
    case method(String)
    /// Several that disagree, or one that is not a method token.
    case ambiguous

    /// Whether a header of this name asks for a method override.
    public static func isOverrideHeader(_ name: some StringProtocol) -> Bool {
        HeaderNameFolding.name(name, foldsTo: "x-http-method-override") || HeaderNameFolding.name(name, foldsTo: "x-http-method")
            || HeaderNameFolding.name(name, foldsTo: "x-method-override")
    }

    /// Adds one header value or `_method` value that asks for `value`.
    public mutating func add(_ value: some StringProtocol) {
        guard self != .ambiguous else { return }
        guard !value.isEmpty, value.utf8.allSatisfy(Self.isTokenCharacter) else { self = .ambiguous; return }
        let method = Policy.asciiUppercased(value)
        switch self {
        case .none: self = .method(method)
        case .method(let earlier) where earlier == method: break
        default: self = .ambiguous
        }
    }

    /// Adds every `_method` parameter of the query of `uri` (after its first `?`). Parameters are
    /// split at `&` and `;` (some parsers split at both), names and values percent-decoded.
    public mutating func addQueryParameters(of uri: String) {
        guard let start = uri.utf8.firstIndex(of: UInt8(ascii: "?")) else { return }
        var rest = uri.utf8[uri.utf8.index(after: start)...]
        while !rest.isEmpty {
            let end = rest.firstIndex { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: ";") } ?? rest.endIndex
            let parameter = rest[..<end]
            rest = end == rest.endIndex ? rest[end...] : rest[rest.index(after: end)...]
            let equals = parameter.firstIndex(of: UInt8(ascii: "="))
            guard Self.isMethodParameter(parameter[..<(equals ?? parameter.endIndex)]) else { continue }
            guard let equals, let value = String(validating: Array(FormDecoder(parameter[parameter.index(after: equals)...])), as: UTF8.self)
            else { self = .ambiguous; return }
            add(value)
        }
    }

    /// `_method` as PHP reads a name: leading spaces dropped, `.`, ` ` and `[` read as `_`, the
    /// name cut at its first NUL (`php_variables.c` takes `strlen` of the decoded name, so
    /// `_method%00x` is `_method`), and `_method[…]` an array that a framework may still read.
    /// Decodes as it compares, so the common query costs no allocation.
    private static func isMethodParameter(_ name: Substring.UTF8View) -> Bool {
        var decoded = FormDecoder(name).drop { $0 == UInt8(ascii: " ") }.makeIterator()
        for expected in "_method".utf8 {
            guard let byte = decoded.next() else { return false }
            let folded: UInt8 = switch byte {
            case UInt8(ascii: "."), UInt8(ascii: " "), UInt8(ascii: "["): UInt8(ascii: "_")
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte + 32
            default: byte
            }
            guard folded == expected else { return false }
        }
        switch decoded.next() {
        case nil, 0, UInt8(ascii: "["): return true
        default: return false
        }
    }

    /// The octets of `application/x-www-form-urlencoded` text: `+` is a space, `%XX` an octet (an
    /// invalid triplet is kept as it is).
    private struct FormDecoder: Sequence, IteratorProtocol {
        private var bytes: Substring.UTF8View

        init(_ bytes: Substring.UTF8View) { self.bytes = bytes }

        mutating func next() -> UInt8? {
            guard let byte = bytes.popFirst() else { return nil }
            if byte == UInt8(ascii: "+") { return UInt8(ascii: " ") }
            guard byte == UInt8(ascii: "%"), let first = bytes.first, let high = hexDigitValue(first),
                  let second = bytes.dropFirst().first, let low = hexDigitValue(second)
            else { return byte }
            bytes = bytes.dropFirst(2)
            return high << 4 | low
        }
    }

    /// RFC 9110 §5.6.2 `tchar`.
    private static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
