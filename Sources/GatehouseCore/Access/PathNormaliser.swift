/// Turns a request target into the one canonical path that policy compares, or refuses it.
///
/// The rules, in order:
/// 1. The query and fragment are cut off at the first `?` or `#` (RFC 3986 §3.3: "The path is
///    terminated by the first question mark ("?") or number sign ("#") character").
/// 2. What remains must start with `/` (origin form, RFC 9112 §3.2.1); an empty or absolute-form
///    target is refused.
/// 3. Percent-encoding (RFC 3986 §6.2.2.2, "Percent-Encoding Normalization"): "URIs should be
///    normalized by decoding any percent-encoded octet that corresponds to an unreserved
///    character", where §2.3 `unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~"`. So `%7e`,
///    `%7E` and `~` are one path, as are `%41` and `A`. Every other triplet stays encoded, with
///    its hex digits upper-cased (§6.2.2.1: "should be normalized to use uppercase letters"), so
///    `%252e` stays `%252E` and is never decoded twice. Raw octets that a path may not hold
///    unencoded (non-ASCII, `"<>[]^`{|}`) are percent-encoded, so raw and encoded spellings agree.
/// 4. Refused outright (the request is hostile or ambiguous, and different servers disagree on
///    what it means): an invalid triplet (`%`, `%4`, `%G1`); an encoded slash `%2F`/`%2f` (one
///    server's segment separator is another's data); a backslash, raw or `%5C` (a separator on
///    some servers); control characters and NUL, raw or encoded (`%00`–`%1F`, `%7F`), and raw
///    space; percent-encoded octets that are not valid UTF-8 (overlong `%C0%AE` is a historic
///    "." bypass); a segment whose part before a `;` is `.` or `..` but which is not exactly that
///    (`..;` is `..` to servlet containers).
/// 5. Empty segments are dropped, so repeated slashes collapse and a trailing slash is dropped:
///    `/v1//orders/` is `/v1/orders` and matches exactly like it.
/// 6. Dot segments are resolved as RFC 3986 §5.2.4 `remove_dot_segments` does ("." is removed,
///    ".." removes the preceding segment) — after step 3, so `%2E%2E` is `..` as §6.2.2.3
///    requires — with one deliberate difference: where §5.2.4 silently stops at the root
///    (`/../etc` → `/etc`), a `..` that would climb above the root is refused, because a client
///    that tries it is hostile and an upstream might not clamp.
///
/// Case is kept: paths are case-sensitive (§6.2.2.1 only lets scheme and host be case-folded).
/// Normalising is idempotent; the result is `/` or `/`-joined non-empty segments in ASCII.
public enum PathNormaliser {
    /// The canonical path of `uri`, or `nil` to refuse it.
    public static func normalise(_ uri: String) -> String? {
        segments(of: uri).map { "/" + $0.joined(separator: "/") }
    }

    /// The canonical path's segments (`[]` for `/`), or `nil` to refuse.
    static func segments(of uri: String) -> [String]? {
        var input = uri.utf8[...]
        if let end = input.firstIndex(where: { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }) {
            input = input[..<end]
        }
        guard input.first == UInt8(ascii: "/") else { return nil }

        var segments: [String] = []
        var current: [UInt8] = []
        var decoded: [UInt8] = []  // the path with every triplet decoded, to check UTF-8
        var index = input.startIndex
        while index < input.endIndex {
            let byte = input[index]
            index = input.index(after: index)
            switch byte {
            case UInt8(ascii: "/"):
                guard finish(&current, into: &segments) else { return nil }
            case UInt8(ascii: "%"):
                guard index < input.endIndex, let high = hexDigitValue(input[index]) else { return nil }
                index = input.index(after: index)
                guard index < input.endIndex, let low = hexDigitValue(input[index]) else { return nil }
                index = input.index(after: index)
                let octet = high << 4 | low
                guard !isControl(octet), octet != UInt8(ascii: "/"), octet != UInt8(ascii: "\\") else { return nil }
                decoded.append(octet)
                if isUnreserved(octet) {
                    current.append(octet)
                } else {
                    appendEncoded(octet, to: &current)
                }
            default:
                guard !isControl(byte), byte != UInt8(ascii: " "), byte != UInt8(ascii: "\\") else { return nil }
                decoded.append(byte)
                if isUnreserved(byte) || isAllowedRaw(byte) {
                    current.append(byte)
                } else {
                    appendEncoded(byte, to: &current)
                }
            }
        }
        guard finish(&current, into: &segments), String(validating: decoded, as: UTF8.self) != nil else { return nil }
        return segments
    }

    /// Ends one segment: drops it if empty or ".", pops for "..", refuses a climb above the root
    /// or a `.;…`/`..;…` look-alike.
    private static func finish(_ segment: inout [UInt8], into segments: inout [String]) -> Bool {
        defer { segment.removeAll(keepingCapacity: true) }
        let dot = UInt8(ascii: "."), semicolon = UInt8(ascii: ";")
        switch segment {
        case []: return true
        case [dot]: return true
        case [dot, dot]:
            guard !segments.isEmpty else { return false }
            segments.removeLast()
            return true
        default:
            let name = segment.prefix { $0 != semicolon }
            guard name.count == segment.count || !(name.elementsEqual([dot]) || name.elementsEqual([dot, dot])) else {
                return false
            }
            segments.append(String(decoding: segment, as: UTF8.self))
            return true
        }
    }

    private static func appendEncoded(_ octet: UInt8, to segment: inout [UInt8]) {
        let digits = Array("0123456789ABCDEF".utf8)
        segment.append(UInt8(ascii: "%"))
        segment.append(digits[Int(octet >> 4)])
        segment.append(digits[Int(octet & 0x0F)])
    }

    /// RFC 3986 §2.3: `unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~"`.
    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    /// The rest of RFC 3986 §3.3 `pchar` that may appear unencoded: sub-delims, ":" and "@".
    /// These are reserved, so their encoded and raw forms are *not* equivalent and are kept apart.
    private static func isAllowedRaw(_ byte: UInt8) -> Bool {
        "!$&'()*+,;=:@".utf8.contains(byte)
    }

    private static func isControl(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == 0x7F
    }
}
