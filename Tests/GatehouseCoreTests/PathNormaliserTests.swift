@testable import GatehouseCore
import Testing

@Suite struct PathNormaliserTests {
    @Test(arguments: [
        ("/", "/"), ("/v1/orders", "/v1/orders"), ("/v1/orders/", "/v1/orders"),
        ("/v1/orders?id=1", "/v1/orders"), ("/v1/orders#top", "/v1/orders"), ("/v1/orders?next=/../../etc", "/v1/orders"),
        ("/?", "/"), ("//", "/"), ("///v1//orders///items//", "/v1/orders/items"),
        ("/a/./b", "/a/b"), ("/a/../b", "/b"), ("/a/b/..", "/a"), ("/a/..", "/"), ("/.", "/"), ("/./././a", "/a"),
        ("/a/%2e%2e/b", "/b"), ("/a/%2E%2E/b", "/b"), ("/a/.%2e/b", "/b"), ("/a/%2e/b", "/a/b"),
        ("/%7euser", "/~user"), ("/%7Euser", "/~user"), ("/%41%62c", "/Abc"), ("/a%2d%5F%2e", "/a-_."), ("/%30%39", "/09"),
        ("/a%3a", "/a%3A"), ("/a%3A", "/a%3A"), ("/a%20b", "/a%20b"),
        ("/caf%c3%a9", "/caf%C3%A9"), ("/café", "/caf%C3%A9"), ("/a|b", "/a%7Cb"), ("/a%7cb", "/a%7Cb"),
        ("/a%252e%252e/b", "/a%252e%252e/b"), ("/a%2525", "/a%2525"), ("/a%25", "/a%25"), ("/a%2A", "/a%2A"),
        ("/v1/*/x", "/v1/*/x"), ("/a;v=1/b", "/a;v=1/b"), ("/.../a", "/.../a"), ("/a/..b/.c", "/a/..b/.c"),
        ("/user@host:8/!$&'()*+,;=", "/user@host:8/!$&'()*+,;="),
    ])
    func acceptedPathsNormalise(_ input: String, _ expected: String) {
        #expect(PathNormaliser.normalise(input) == expected)
    }

    @Test(arguments: [
        "", "v1/orders", "http://example.com/v1", "*", "?x=1", "#f",
        "/..", "/../", "/../etc", "/../etc/passwd", "/a/../../etc", "/a/b/../../..", "/%2e%2e/etc", "/%2E%2E", "/.%2E",
        "/a%2Fb", "/a%2fb", "/v1/%2F..%2F", "/a\\b", "/..\\etc", "/a%5cb", "/a%5Cb",
        "/a%00b", "/a%0d%0aSet-Cookie:x", "/a b", "/a%7f", "/a%1F",
        "/a%", "/a%4", "/a%G1", "/a%%41", "/a%4g",
        "/a%c0%ae%c0%ae/b", "/a%ff", "/%c0%af",
        "/..;/admin", "/public/..;/admin", "/a/.;x/b", "/a/..;jsessionid=1",
    ])
    func hostileOrMalformedPathsAreRefused(_ input: String) {
        #expect(PathNormaliser.normalise(input) == nil)
    }

    /// Raw control characters, kept out of the arguments above so test logs stay printable.
    @Test func rawControlCharactersAreRefused() {
        for scalar in (0...0x1F).map({ Unicode.Scalar(UInt8($0)) }) + ["\u{7F}"] {
            #expect(PathNormaliser.normalise("/a\(Character(scalar))b") == nil, "U+\(String(scalar.value, radix: 16))")
        }
    }

    @Test func encodedDotsCannotClimbAboveTheRootEither() {
        #expect(PathNormaliser.normalise("/a/%2e%2e/%2E%2E/etc") == nil)
        #expect(PathNormaliser.normalise("/a/%2e%2e/b/%2E%2E/c") == "/c")
    }

    @Test(arguments: [
        "/", "/v1/orders/", "/a/%2e%2e/b", "/%7Eu%41", "/caf%c3%a9", "/a%252e", "/a|b?x", "/a;v=1",
    ])
    func normalisingIsIdempotent(_ input: String) throws {
        let once = try #require(PathNormaliser.normalise(input))
        #expect(PathNormaliser.normalise(once) == once)
    }

    @Test func veryLongPathsAreHandledInLinearTime() {
        let manySegments = "/" + String(repeating: "a/", count: 50_000)
        #expect(PathNormaliser.normalise(manySegments) == String(manySegments.dropLast()))

        let manySlashes = "/v1" + String(repeating: "/", count: 100_000) + "orders"
        #expect(PathNormaliser.normalise(manySlashes) == "/v1/orders")

        let oneLongSegment = "/" + String(repeating: "%41", count: 33_334)
        #expect(PathNormaliser.normalise(oneLongSegment) == "/" + String(repeating: "A", count: 33_334))

        let climbing = "/a" + String(repeating: "/..", count: 33_334)
        #expect(PathNormaliser.normalise(climbing) == nil)

        let upAndDown = String(repeating: "/a/..", count: 20_000) + "/b"
        #expect(PathNormaliser.normalise(upAndDown) == "/b")

        let nulAtTheEnd = "/" + String(repeating: "a", count: 100_000) + "%00"
        #expect(PathNormaliser.normalise(nulAtTheEnd) == nil)
    }
}
