@testable import GatehouseCore
import Testing

/// The whole class of "paths an upstream can read another way" (issue 14 point 1), as one table:
/// each target with its canonical path, or `nil` where it must be refused. Never resolved.
@Suite struct PathNormaliserTests {
    static let table: [(target: String, canonical: String?)] = [
        // Plain paths, and what may be spelled another way without changing the segments.
        ("/", "/"), ("/v1/orders", "/v1/orders"), ("/v1/orders?id=1", "/v1/orders"), ("/v1/orders?next=/../../etc", "/v1/orders"),
        ("/?", "/"), ("/%7euser", "/~user"), ("/%7Euser", "/~user"), ("/%41%62c", "/Abc"), ("/a%2d%5F%2e", "/a-_."),
        ("/%30%39", "/09"), ("/a%3a", "/a%3A"), ("/a%3A", "/a%3A"), ("/a%20b", "/a%20b"), ("/caf%c3%a9", "/caf%C3%A9"),
        ("/a|b", "/a%7Cb"), ("/a%7cb", "/a%7Cb"), ("/a%2A", "/a%2A"), ("/v1/*/x", "/v1/*/x"), ("/a/..b/.c", "/a/..b/.c"),
        ("/a.", "/a."), ("/user@host:8/!$&'()*+,=", "/user@host:8/!$&'()*+,="), ("/a%23b", "/a%23b"), ("/a%3Fb", "/a%3Fb"),
        // A single trailing slash is a literal, empty last segment.
        ("/v1/orders/", "/v1/orders/"), ("/v1/orders/?x=1", "/v1/orders/"),
        // Empty segments, anywhere: refused, never merged.
        ("//", nil), ("//v1/orders", nil), ("/v1//orders", nil), ("/v1/orders//", nil), ("///v1//orders///items//", nil),
        ("/v1/admin//../orders", nil), ("//evil.example/v1/orders", nil),
        // Dot segments in every spelling: refused, never resolved.
        ("/.", nil), ("/..", nil), ("/../", nil), ("/a/./b", nil), ("/a/../b", nil), ("/a/b/..", nil), ("/a/.", nil),
        ("/a/%2e/b", nil), ("/a/%2E/b", nil), ("/a/%2e%2e/b", nil), ("/a/%2E%2E/b", nil), ("/a/.%2e/b", nil), ("/a/%2e./b", nil),
        ("/a/%2E%2e", nil), ("/a/.../b", nil), ("/a/..%20/b", nil), ("/a/%20../b", nil), ("/a/%20/b", nil),
        ("/v1/orders/../admin", nil), ("/../etc/passwd", nil),
        // Overlong UTF-8 and invalid encodings.
        ("/a/%c0%ae%c0%ae/b", nil), ("/a%c0%ae", nil), ("/%c0%af", nil), ("/a%ff", nil), ("/a%c3", nil), ("/a%c3b%a9", nil),
        ("/a%", nil), ("/a%4", nil), ("/a%G1", nil), ("/a%%41", nil), ("/a%4g", nil), ("/a%u002e", nil),
        // Double encoding: an encoded percent is refused.
        ("/a/%252e%252e/b", nil), ("/a%2525", nil), ("/a%25", nil), ("/a%252F", nil),
        // Encoded slash and backslash, raw backslash.
        ("/a%2Fb", nil), ("/a%2fb", nil), ("/v1/%2F..%2F", nil), ("/a%5cb", nil), ("/a%5Cb", nil), ("/a\\b", nil), ("/..\\etc", nil),
        // `;` path parameters, raw or encoded.
        ("/a;v=1/b", nil), ("/v1/orders;x/..", nil), ("/..;/admin", nil), ("/public/..;/admin", nil), ("/admin;/x", nil),
        ("/a/.;x/b", nil), ("/a;", nil), ("/a%3bb", nil), ("/a%3Bb", nil),
        // Control characters, NUL, raw space, non-ASCII.
        ("/a%00b", nil), ("/a%0d%0aSet-Cookie:x", nil), ("/a%7f", nil), ("/a%1F", nil), ("/a b", nil), ("/a\u{7F}", nil),
        ("/café", nil), ("/a\u{FF0E}", nil),
        // A fragment inside the target, in the path or after the query.
        ("/v1/orders#top", nil), ("/v1/orders#/../admin", nil), ("/v1/orders?x=1#y", nil), ("#f", nil),
        // Not origin form: empty, relative, asterisk, absolute.
        ("", nil), ("v1/orders", nil), ("*", nil), ("?x=1", nil), ("http://example.com/v1", nil), ("https://h", nil),
    ]

    @Test(arguments: table)
    func aTargetIsCanonicalOrRefusedNeverResolved(_ target: String, _ canonical: String?) {
        #expect(PathNormaliser.normalise(target) == canonical)
    }

    /// Raw control characters, kept out of the table so test logs stay printable.
    @Test func rawControlCharactersAreRefused() {
        for scalar in (0...0x1F).map({ Unicode.Scalar(UInt8($0)) }) + ["\u{7F}"] {
            #expect(PathNormaliser.normalise("/a\(Character(scalar))b") == nil, "U+\(String(scalar.value, radix: 16))")
        }
    }

    @Test(arguments: table.compactMap(\.canonical))
    func canonicalPathsAreTheirOwnCanonicalForm(_ canonical: String) {
        #expect(PathNormaliser.normalise(canonical) == canonical)
    }

    @Test func veryLongPathsAreHandledInLinearTime() {
        let manySegments = "/" + String(repeating: "a/", count: 50_000)
        #expect(PathNormaliser.normalise(manySegments) == manySegments)

        let manySlashes = "/v1" + String(repeating: "/", count: 100_000) + "orders"
        #expect(PathNormaliser.normalise(manySlashes) == nil)

        let oneLongSegment = "/" + String(repeating: "%41", count: 33_334)
        #expect(PathNormaliser.normalise(oneLongSegment) == "/" + String(repeating: "A", count: 33_334))

        let manyEncodedLetters = "/" + String(repeating: "%C3%A9", count: 20_000)
        #expect(PathNormaliser.normalise(manyEncodedLetters) == manyEncodedLetters)

        let nulAtTheEnd = "/" + String(repeating: "a", count: 100_000) + "%00"
        #expect(PathNormaliser.normalise(nulAtTheEnd) == nil)
    }
}
