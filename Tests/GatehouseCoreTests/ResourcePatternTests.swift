@testable import GatehouseCore
import Testing

@Suite struct ResourcePatternTests {
    @Test(arguments: [
        ("/v1/**", "/v1", true), ("/v1/**", "/v1/", true), ("/v1/**", "/v1/orders", true), ("/v1/**", "/v1/a/b/c", true),
        ("/v1/**", "/v10", false), ("/v1/**", "/", false), ("/v1/**", "/v2/orders", false),
        ("/v1/*", "/v1/a", true), ("/v1/*", "/v1", false), ("/v1/*", "/v1/", false), ("/v1/*", "/v1/a/b", false),
        ("/v1/orders/*/items", "/v1/orders/42/items", true), ("/v1/orders/*/items", "/v1/orders/items", false),
        ("/v1/orders/*/items", "/v1/orders/42/items/7", false), ("/v1/*/x/**", "/v1/a/x", true), ("/v1/*/x/**", "/v1/a/y", false),
        ("/", "/", true), ("/", "/a", false), ("/**", "/", true), ("/**", "/any/depth/at/all", true), ("/*", "/", false),
        ("/v1/orders", "/v1/orders", true), ("/v1/orders", "/v1/orders/", false), ("/v1/orders", "/v1//orders?x=1", false),
        ("/v1/orders", "/v1/orders/1", false), ("/v1/orders", "/v1/order", false),
    ])
    func wildcardsMatchSegments(_ pattern: String, _ path: String, _ expected: Bool) {
        #expect(ResourcePattern.matches(pattern, path: path) == expected)
    }

    @Test(arguments: [
        ("/v1/**", "/V1/orders"), ("/v1/orders", "/v1/Orders"), ("/v1/orders", "/V1/ORDERS"),
    ])
    func matchingIsCaseSensitive(_ pattern: String, _ path: String) {
        #expect(!ResourcePattern.matches(pattern, path: path))
    }

    @Test(arguments: [
        ("/~u/x", "/%7Eu/x"), ("/~u/x", "/%7eu/x"), ("/Abc", "/%41bc"), ("/v1/%7Eu", "/v1/~u"), ("/v1/caf%C3%A9", "/v1/caf%c3%a9"),
    ])
    func bothSidesAreComparedInOneSpelling(_ pattern: String, _ path: String) {
        #expect(ResourcePattern.matches(pattern, path: path))
    }

    @Test(arguments: [
        ("/v1/public/**", "/v1/public/../admin"), ("/v1/public/**", "/v1/public/%2e%2e/admin"), ("/**", "/../etc"),
        ("/**", "/a%2Fb"), ("/**", "/a\\b"), ("/**", "/a%00"), ("/v1/public/**", "/v1/public/..;/admin"), ("/**", ""),
        ("/v1/*", "/v1/a/../b"), ("/v1/b", "/v1/a/%2e%2e/b"), ("/v1/**", "/v1/admin//../orders"), ("/**", "/v1/caf\u{E9}"),
    ])
    func pathsAnUpstreamCouldReadAnotherWayNeverMatch(_ pattern: String, _ path: String) {
        #expect(!ResourcePattern.matches(pattern, path: path))
    }

    @Test(arguments: [("/v1/**/x", "/v1/a/x"), ("/v1/**/x", "/v1/x"), ("/v1?x", "/v1"), ("/v1#x", "/v1"), ("v1", "/v1")])
    func malformedPatternsMatchNothing(_ pattern: String, _ path: String) {
        #expect(!ResourcePattern.matches(pattern, path: path))
    }

    @Test func longPathsAgainstDoubleStar() {
        let deep = "/v1/" + String(repeating: "a/", count: 50_000)
        #expect(ResourcePattern.matches("/v1/**", path: deep))
        #expect(!ResourcePattern.matches("/v1/*", path: deep))
    }
}
