import HTTPTypes

/// Header-value handling for the hot paths without Foundation's `NSString` bridging (which
/// showed up in the check endpoint's profile).
extension StringProtocol {
    /// Without leading and trailing spaces and tabs (RFC 9110 §5.6.3, "OWS").
    func trimmingOWS() -> Substring {
        let text = Substring(self)
        let isOWS: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 }
        guard let first = text.utf8.firstIndex(where: { !isOWS($0) }), let last = text.utf8.lastIndex(where: { !isOWS($0) }) else {
            return ""
        }
        return Substring(text.utf8[first...last])
    }

    /// Lowercased ASCII letters only (header names, auth schemes and media types are ASCII).
    func asciiLowercased() -> String {
        String(decoding: utf8.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
    }
}

extension HTTPFields {
    /// The value of `name` as the subscript reads it — repeated fields joined with `, ` (RFC 9110
    /// §5.3) — but a field that appears once is not copied: the subscript's `joined` copied every
    /// bearer token it was asked for. Not for `Cookie`, which joins with `; `.
    func value(of name: HTTPField.Name) -> String? {
        var found: String?
        for field in self where field.name == name {
            found = found.map { $0 + ", " + field.value } ?? field.value
        }
        return found
    }

    /// The media type of `Content-Type` without parameters, lowercased: `application/json` for
    /// `Application/JSON; charset=utf-8` (RFC 9110 §8.3.1).
    var mediaType: String? {
        value(of: .contentType).map { value in
            let type = (value.utf8.split(separator: UInt8(ascii: ";"), maxSplits: 1, omittingEmptySubsequences: false).first.map { Substring($0) } ?? "")
                .trimmingOWS()
            // Already lower case (the usual spelling): no copy.
            return type.utf8.contains(where: { (0x41...0x5A).contains($0) }) ? type.asciiLowercased() : String(type)
        }
    }
}
