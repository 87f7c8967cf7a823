@testable import GatehouseCore
import Testing

@Suite struct MethodOverrideTests {
    static func read(_ headers: [(String, String)], _ uri: String = "/v1/orders") -> MethodOverride {
        var override = MethodOverride.none
        for (name, value) in headers where MethodOverride.isOverrideHeader(name) { override.add(value) }
        override.addQueryParameters(of: uri)
        return override
    }

    @Test(arguments: [
        ([], "/v1/orders", MethodOverride.none), ([("X-Other", "DELETE")], "/v1/orders?method=DELETE", .none),
        ([("X-HTTP-Method-Override", "DELETE")], "/", .method("DELETE")), ([("x-http-method-override", "delete")], "/", .method("DELETE")),
        ([("X_HTTP_Method_Override", "DELETE")], "/", .method("DELETE")), ([("X-HTTP-Method", "PUT")], "/", .method("PUT")),
        ([("X_HTTP_METHOD", "PUT")], "/", .method("PUT")), ([("X-Method-Override", "PATCH")], "/", .method("PATCH")),
        ([("x_method_override", "PATCH")], "/", .method("PATCH")),
        ([("X-HTTP-Method-Override", "DELETE"), ("X-HTTP-Method", "delete")], "/?_method=Delete", .method("DELETE")),
        ([("X-HTTP-Method-Override", "DELETE"), ("X-HTTP-Method", "PUT")], "/", .ambiguous),
        ([("X-HTTP-Method-Override", "DELETE"), ("X-HTTP-Method-Override", "GET")], "/", .ambiguous),
        ([("X-HTTP-Method-Override", "DELETE, GET")], "/", .ambiguous), ([("X-HTTP-Method-Override", "")], "/", .ambiguous),
        ([("X-HTTP-Method-Override", "DEL ETE")], "/", .ambiguous), ([("X-HTTP-Method-Override", "GET")], "/?_method=DELETE", .ambiguous),
        ([], "/v1/orders?_method=DELETE", .method("DELETE")), ([], "/v1/orders?a=1&_method=delete&b=2", .method("DELETE")),
        ([], "/v1/orders?a=1;_method=DELETE", .method("DELETE")), ([], "/v1/orders?%5Fmethod=DELETE", .method("DELETE")),
        ([], "/v1/orders?_METHOD=DELETE", .method("DELETE")), ([], "/v1/orders?.method=DELETE", .method("DELETE")),
        ([], "/v1/orders?+_method=DELETE", .method("DELETE")), ([], "/v1/orders?+method=DELETE", .none), ([], "/v1/orders?_method=%44ELETE", .method("DELETE")),
        ([], "/v1/orders?_method=DELETE&_method=PUT", .ambiguous), ([], "/v1/orders?_method", .ambiguous),
        ([], "/v1/orders?_method=", .ambiguous), ([], "/v1/orders?_method=DE%0ALETE", .ambiguous),
        ([], "/v1/orders?x_method=DELETE", .none), ([], "/v1/orders", .none),
        // PHP cuts a decoded name at its first NUL, and reads `_method[x]` as an array under `_method`.
        ([], "/v1/orders?_method%00=DELETE", .method("DELETE")), ([], "/v1/orders?_method%00x=DELETE", .method("DELETE")),
        ([], "/v1/orders?_method[x]=DELETE", .method("DELETE")), ([], "/v1/orders?_methodx=DELETE", .none),
    ])
    func everyOverrideSpellingIsReadAndTheyMustAgree(_ headers: [(String, String)], _ uri: String, _ expected: MethodOverride) {
        #expect(Self.read(headers, uri) == expected)
    }

    @Test(arguments: [
        ("X-Gatehouse-Customer", true), ("x-gatehouse-customer", true), ("X_Gatehouse_Customer", true), ("X_GATEHOUSE_SUBJECT", true),
        ("x-gatehouse_org", true), ("X-Gatehouse-", true), ("X-Gatehouse", false), ("X-Gatehousex-Org", false), ("Gatehouse-Org", false),
    ])
    func identityHeaderNamesAreFoldedAsCGIReadsThem(_ name: String, _ isIdentityHeader: Bool) {
        #expect(HeaderNameFolding.name(name, hasFoldedPrefix: "x-gatehouse-") == isIdentityHeader)
    }
}
