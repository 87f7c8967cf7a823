/// Turns a request target into the one canonical path that policy compares, or refuses it.
///
/// **Never resolve.** Proxies forward the raw target and every upstream reads it its own way
/// (WHATWG URL parsers resolve `..` and `%2e%2e`, servlet containers strip `;` parameters,
/// Windows servers read `\` as `/`, some merge slashes, some decode twice). A target whose
/// meaning depends on the reader is therefore refused, never rewritten into what one reader
/// would make of it: what is judged is then what every upstream sees. The rules, in order:
///
/// 1. The path ends at the first `?` (RFC 3986 §3.3); the query is not judged. A `#` anywhere is
///    refused: RFC 9112 §3.2.1 `origin-form = absolute-path [ "?" query ]` has no fragment, so
///    one in a request target or a forwarded-URI header is not from a well-behaved client.
/// 2. The path must start with `/` (origin form): an empty, relative, asterisk-form (`*`) or
///    absolute-form (`http://host/x`) target is refused.
/// 3. Refused wherever they appear in the path, raw or percent-encoded in any case (as Spring
///    Security's `StrictHttpFirewall` and Envoy's `path_with_escaped_slashes_action:
///    REJECT_REQUEST` do): an encoded slash `%2F`; a backslash `\`/`%5C`; `;` and `%3B`
///    (servlet containers strip `;parameters`, so `/admin;/x` and `..;` mean something else
///    there); an encoded percent `%25` (an upstream that decodes twice reads `%252e` as `.`);
///    control characters and NUL (`%00`–`%1F`, `%7F`); a raw space; a raw `#`; a raw octet that is
///    not ASCII (RFC 3986 §2.1: it must be percent-encoded); an invalid triplet (`%`, `%4`,
///    `%G1`); and percent-encoded octets that are not valid UTF-8 (overlong `%C0%AE` is a
///    historic `.`).
/// 4. An empty segment is refused (`//` anywhere, including `//host/x`): nginx and Envoy's
///    `merge_slashes` collapse it, WHATWG parsers keep it, so `/v1/admin//../orders` is read
///    three ways. One exception: a single trailing slash is kept as a literal, empty last
///    segment (`/v1/orders/` is not `/v1/orders`; a literal pattern `/v1/orders` does not match
///    it, `/v1/orders/**` does).
/// 5. A segment made only of dots and spaces (after decoding, so `%2e`, `%2E`, `.%2e`,
///    `%2e%2e`) is refused: `.` and `..` are resolved by RFC 3986 §5.2.4 readers, and Windows
///    servers trim trailing dots and spaces, reading `...` or `..%20` as `..`.
/// 6. What remains is spelled one way (RFC 3986 §6.2.2.2, "Percent-Encoding Normalization"): a
///    triplet of an unreserved character (§2.3 `ALPHA / DIGIT / "-" / "." / "_" / "~"`) is
///    decoded, so `%7E`, `%7e` and `~` agree — this cannot change the segments, as no unreserved
///    character is a separator; every other triplet stays encoded with upper-case hex digits
///    (§6.2.2.1); the raw characters a path may not hold unencoded (`"<>[]^`{|}`) are encoded.
///
/// Case is kept: paths are case-sensitive (§6.2.2.1 only lets scheme and host be case-folded).
/// The result is `/` or `/`-joined segments, idempotent, in ASCII.
public enum PathNormaliser {
    /// The canonical path of `uri`, or `nil` to refuse it.
    public static func normalise(_ uri: String) -> String? {
        segments(of: uri).map { "/" + $0.joined(separator: "/") }
    }

    /// The canonical path's segments (`[]` for `/`; a trailing slash is a final `""`), or `nil`
    /// to refuse.
    static func segments(of uri: String) -> [String]? {
        var input = uri.utf8[...]
        if let end = input.firstIndex(of: UInt8(ascii: "?")) {
            guard !input[end...].contains(UInt8(ascii: "#")) else { return nil }
            input = input[..<end]
        }
        guard input.first == UInt8(ascii: "/") else { return nil }
        input = input.dropFirst()
        if input.isEmpty { return [] }

        var segments: [String] = []
        var segment = SegmentBuilder()
        var index = input.startIndex
        while index < input.endIndex {
            let byte = input[index]
            index = input.index(after: index)
            switch byte {
            case UInt8(ascii: "/"):
                guard let finished = segment.finish() else { return nil }
                segments.append(finished)
            case UInt8(ascii: "%"):
                guard index < input.endIndex, let high = hexDigitValue(input[index]) else { return nil }
                index = input.index(after: index)
                guard index < input.endIndex, let low = hexDigitValue(input[index]) else { return nil }
                index = input.index(after: index)
                guard segment.appendDecoded(high << 4 | low) else { return nil }
            default:
                guard segment.appendRaw(byte) else { return nil }
            }
        }
        // A trailing slash leaves an empty last segment: kept, literally.
        if segment.isEmpty { segments.append(""); return segments }
        guard let last = segment.finish() else { return nil }
        segments.append(last)
        return segments
    }

    /// One segment being read: its canonical bytes, and the run of encoded non-ASCII octets whose
    /// UTF-8 validity is still to be checked.
    private struct SegmentBuilder {
        private var bytes: [UInt8] = []
        private var encodedRun: [UInt8] = []
        private var onlyDotsAndSpaces = true

        var isEmpty: Bool { bytes.isEmpty }

        /// The finished segment, or `nil` if it is empty, dot-like or holds invalid UTF-8.
        mutating func finish() -> String? {
            defer { bytes.removeAll(keepingCapacity: true); onlyDotsAndSpaces = true }
            guard closeEncodedRun(), !bytes.isEmpty, !onlyDotsAndSpaces else { return nil }
            return String(decoding: bytes, as: UTF8.self)
        }

        mutating func appendDecoded(_ octet: UInt8) -> Bool {
            if octet >= 0x80 {
                encodedRun.append(octet)
                appendEncoded(octet)
                onlyDotsAndSpaces = false
                return true
            }
            guard closeEncodedRun(), !PathNormaliser.isRefusedDecoded(octet) else { return false }
            note(octet)
            if PathNormaliser.isUnreserved(octet) { bytes.append(octet) } else { appendEncoded(octet) }
            return true
        }

        mutating func appendRaw(_ byte: UInt8) -> Bool {
            guard closeEncodedRun(), !PathNormaliser.isRefusedRaw(byte) else { return false }
            note(byte)
            if PathNormaliser.isUnreserved(byte) || PathNormaliser.isAllowedRaw(byte) { bytes.append(byte) } else { appendEncoded(byte) }
            return true
        }

        private mutating func note(_ octet: UInt8) {
            if octet != UInt8(ascii: "."), octet != UInt8(ascii: " ") { onlyDotsAndSpaces = false }
        }

        /// Checks the encoded non-ASCII octets just read form valid UTF-8 (no overlong forms).
        private mutating func closeEncodedRun() -> Bool {
            guard !encodedRun.isEmpty else { return true }
            defer { encodedRun.removeAll(keepingCapacity: true) }
            return String(validating: encodedRun, as: UTF8.self) != nil
        }

        private mutating func appendEncoded(_ octet: UInt8) {
            bytes.append(UInt8(ascii: "%"))
            bytes.append(PathNormaliser.upperHexDigits[Int(octet >> 4)])
            bytes.append(PathNormaliser.upperHexDigits[Int(octet & 0x0F)])
        }
    }

    private static let upperHexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// A decoded ASCII octet that is refused: control, `/`, `\`, `;`, `%`.
    static func isRefusedDecoded(_ octet: UInt8) -> Bool {
        isControl(octet) || octet == UInt8(ascii: "/") || octet == UInt8(ascii: "\\") || octet == UInt8(ascii: ";")
            || octet == UInt8(ascii: "%")
    }

    /// A raw byte that is refused in a path: control, space, `\`, `;`, `#`, non-ASCII.
    static func isRefusedRaw(_ byte: UInt8) -> Bool {
        isControl(byte) || byte >= 0x80 || byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\\")
            || byte == UInt8(ascii: ";") || byte == UInt8(ascii: "#")
    }

    /// RFC 3986 §2.3: `unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~"`.
    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    /// The rest of RFC 3986 §3.3 `pchar` that may appear unencoded: sub-delims (but `;`, refused
    /// above), ":" and "@". These are reserved, so their encoded and raw forms are *not*
    /// equivalent and are kept apart.
    static func isAllowedRaw(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"),
             UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: "="), UInt8(ascii: ":"), UInt8(ascii: "@"):
            true
        default:
            false
        }
    }

    static func isControl(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == 0x7F
    }
}
