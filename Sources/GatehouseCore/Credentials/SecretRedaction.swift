/// Cuts credentials out of text bound for a log line or an error message (SPEC §7: "Secrets never
/// appear in logs, errors, the audit log or admin list answers").
///
/// A client may put a secret where an id, a path segment, a scope or a name belongs. An error that
/// quotes the value back, or the request log line that shows the path, would then carry it.
/// Gatehouse's own secrets are recognised by their prefix (`ghcs_`, `ghak_`, …, see ``SecretKind``),
/// and JWTs by their first segment (`eyJ`: base64url of `{"`). Each is cut to that marker and `…`,
/// so the message still says what kind of value was refused. A password has no shape and is not
/// recognised; messages quote what a client sent so an integrator can see its mistake.
public enum SecretRedaction {
    /// The markers that start a credential, as bytes.
    static let markers: [[UInt8]] = SecretKind.allCases.map { Array($0.prefix.utf8) } + [Array("eyJ".utf8)]
    /// A run shorter than this after its marker is a word, not a credential (`ghak_` in a sentence).
    static let minimumBody = 8

    /// What an error answer quotes at most, in characters: errors quote what a client sent, and a
    /// 60 KB value is not worth sending back whole.
    public static let errorMessageLimit = 300

    /// An error answer's message: credentials cut, and at most ``errorMessageLimit`` characters.
    public static func errorMessage(_ text: String) -> String {
        redact(text, limit: errorMessageLimit)
    }

    /// `text` with every credential cut to its marker and `…`, and cut to `limit` characters (the
    /// last being `…`); `text` itself when it holds neither (the common case, checked without copying).
    public static func redact(_ text: String, limit: Int = .max) -> String {
        let text = text.utf8.count > limit && text.count > limit ? String(text.prefix(limit - 1)) + "…" : text
        guard mayHoldCredential(text) else { return text }
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            // Wherever it starts, also glued to other characters (`xghcs_…`, `id=ghcs_…`): a client
            // may paste a secret next to anything.
            if let (marker, end) = credential(in: bytes, at: index) {
                output.append(contentsOf: marker)
                output.append(contentsOf: "…".utf8)
                index = end
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Whether `text` contains `gh` or `eyJ` anywhere: a byte scan that lets nearly every path
    /// and message through untouched.
    static func mayHoldCredential(_ text: String) -> Bool {
        var previous: UInt8 = 0
        var beforePrevious: UInt8 = 0
        for byte in text.utf8 {
            if (previous == UInt8(ascii: "g") && byte == UInt8(ascii: "h"))
                || (beforePrevious == UInt8(ascii: "e") && previous == UInt8(ascii: "y") && byte == UInt8(ascii: "J")) {
                return true
            }
            beforePrevious = previous
            previous = byte
        }
        return false
    }

    /// The marker of the credential starting at `start`, and where it ends; `nil` when none starts
    /// there. A JWT runs on across its `.`s.
    private static func credential(in bytes: [UInt8], at start: Int) -> (marker: [UInt8], end: Int)? {
        guard let marker = markers.first(where: { bytes[start...].starts(with: $0) }) else { return nil }
        let isJWT = marker == markers.last
        var end = start + marker.count
        while end < bytes.count, isCredentialByte(bytes[end]) || (isJWT && bytes[end] == UInt8(ascii: ".")) { end += 1 }
        return end - start - marker.count >= minimumBody ? (marker, end) : nil
    }

    /// Base62 and base64url's `-` and `_`: what secrets and JWT segments are written in.
    private static func isCredentialByte(_ byte: UInt8) -> Bool {
        Base62.isBase62(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
    }
}
