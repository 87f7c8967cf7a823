import Foundation
import GatehouseCore
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// SPEC §7: malformed input gets a clear 4xx in the admin error format and changes nothing.
@Suite("Admin API: bad input")
struct BadInputTests {
    /// The body-taking routes.
    enum Target: String, Sendable, CaseIterable {
        case createOrganisation = "POST /orgs"
        case updateOrganisation = "PATCH /orgs/{id}"
        case createApplication = "POST /apps"
        case updateApplication = "PATCH /apps/{id}"

        var method: HTTPRequest.Method {
            switch self {
            case .createOrganisation, .createApplication: .post
            case .updateOrganisation, .updateApplication: .patch
            }
        }

        var isApplication: Bool { self == .createApplication || self == .updateApplication }
        var isCreate: Bool { self == .createOrganisation || self == .createApplication }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var target: Target
        var what: String
        var body: [UInt8]
        var contentType: String? = "application/json"
        var status: Int = 400
        var field: String?

        var testDescription: String { "\(target.rawValue): \(what)" }
    }

    static let hugeName = String(repeating: "n", count: 10_000)

    /// Cases every body-taking route shares.
    static func common(_ target: Target) -> [Case] {
        let validName = target.isApplication ? "a valid name" : "valid-name"
        let valid = Array(#"{"name":"\#(validName)"}"#.utf8)
        return [
            Case(target: target, what: "malformed JSON", body: Array(#"{"name": "#.utf8)),
            Case(target: target, what: "trailing garbage after the object", body: Array(#"{"name":"x"} x"#.utf8)),
            Case(target: target, what: "an empty body", body: []),
            Case(target: target, what: "a JSON array instead of an object", body: Array(#"[{"name":"x"}]"#.utf8)),
            Case(target: target, what: "a JSON string instead of an object", body: Array(#""name""#.utf8)),
            Case(target: target, what: "JSON null instead of an object", body: Array("null".utf8)),
            Case(target: target, what: "a name that is a number", body: Array(#"{"name":5}"#.utf8), field: "name"),
            Case(target: target, what: "a name that is an object", body: Array(#"{"name":{"a":1}}"#.utf8), field: "name"),
            Case(target: target, what: "a null name", body: Array(#"{"name":null}"#.utf8), field: "name"),
            Case(target: target, what: "a 10,000 character name", body: Array(#"{"name":"\#(hugeName)"}"#.utf8), field: "name"),
            Case(target: target, what: "an empty name", body: Array(#"{"name":"  "}"#.utf8), field: "name"),
            Case(target: target, what: "a name with a control character", body: Array(#"{"name":"a\u0007b"}"#.utf8), field: "name"),
            Case(target: target, what: "an unknown field", body: Array(#"{"name":"\#(validName)","colour":"red"}"#.utf8), field: "colour"),
            Case(target: target, what: "the text/plain content type", body: valid, contentType: "text/plain", status: 415),
            Case(target: target, what: "a form content type", body: valid, contentType: "application/x-www-form-urlencoded", status: 415),
            Case(target: target, what: "no content type", body: valid, contentType: nil, status: 415),
            Case(
                target: target, what: "a body over 64 KiB",
                body: Array(#"{"name":"\#(validName)","description":"\#(String(repeating: "d", count: 70_000))"}"#.utf8), status: 413
            ),
            Case(target: target, what: "bytes that are not UTF-8", body: Array(#"{"name":""#.utf8) + [0xFF, 0xFE, 0xC3] + Array(#""}"#.utf8)),
        ]
    }

    static func organisationCases(_ target: Target) -> [Case] {
        var cases = [
            Case(target: target, what: "maxApplications as a string", body: Array(#"{"name":"ok","maxApplications":"1"}"#.utf8), field: "maxApplications"),
            Case(target: target, what: "maxApplications as a fraction", body: Array(#"{"name":"ok","maxApplications":1.5}"#.utf8), field: "maxApplications"),
            Case(target: target, what: "a negative maxApplications", body: Array(#"{"name":"ok","maxApplications":-1}"#.utf8), field: "maxApplications"),
            Case(target: target, what: "an enormous maxApplications", body: Array(#"{"name":"ok","maxApplications":1e300}"#.utf8), field: "maxApplications"),
            Case(target: target, what: "a name with a space", body: Array(#"{"name":"two words"}"#.utf8), field: "name"),
            Case(target: target, what: "a name starting with a dash", body: Array(#"{"name":"-dash"}"#.utf8), field: "name"),
            Case(target: target, what: "a 65 character name", body: Array(#"{"name":"\#(String(repeating: "a", count: 65))"}"#.utf8), field: "name"),
        ]
        if target.isCreate {
            cases.append(Case(target: target, what: "a missing name", body: Array(#"{"maxApplications":2}"#.utf8), field: "name"))
            cases.append(Case(target: target, what: "an empty object", body: Array("{}".utf8), field: "name"))
        }
        return cases
    }

    static func applicationCases(_ target: Target) -> [Case] {
        func body(_ json: String) -> [UInt8] { Array(#"{"name":"shop",\#(json)}"#.utf8) }
        var cases = [
            Case(target: target, what: "scopes as a string", body: body(#""scopes":"x""#), field: "scopes"),
            Case(target: target, what: "a scope that is a number", body: body(#""scopes":[1]"#), field: "scopes[0]"),
            Case(target: target, what: "accessTokenTTL as a string", body: body(#""accessTokenTTL":"1""#), field: "accessTokenTTL"),
            Case(target: target, what: "a fractional accessTokenTTL", body: body(#""accessTokenTTL":600.5"#), field: "accessTokenTTL"),
            Case(target: target, what: "an accessTokenTTL of 10 seconds", body: body(#""accessTokenTTL":10"#), field: "accessTokenTTL"),
            Case(target: target, what: "an accessTokenTTL of a year", body: body(#""accessTokenTTL":31536000"#), field: "accessTokenTTL"),
            Case(target: target, what: "a CIDR with a /33 prefix", body: body(#""allowedIPs":["10.0.0.0/33"]"#), field: "allowedIPs"),
            Case(target: target, what: "an allowed IP that is a host name", body: body(#""allowedIPs":["example.com"]"#), field: "allowedIPs"),
            Case(target: target, what: "a scope token with a space", body: body(#""scopes":["orders read"]"#), field: "scopes"),
            Case(target: target, what: "a scope token with a quote", body: body(#""scopes":["a\"b"]"#), field: "scopes"),
            Case(target: target, what: "an unknown grant type", body: body(#""grantTypes":["implicit"]"#), field: "grantTypes"),
            Case(target: target, what: "a redirect URI with a fragment", body: body(#""redirectUris":["https://shop.example.com/cb#frag"]"#), field: "redirectUris"),
            Case(target: target, what: "a relative redirect URI", body: body(#""redirectUris":["/callback"]"#), field: "redirectUris"),
            Case(target: target, what: "a resource pattern with ..", body: body(#""resources":["/v1/../admin"]"#), field: "resources"),
            Case(target: target, what: "a resource pattern without a leading slash", body: body(#""resources":["v1/orders"]"#), field: "resources"),
            Case(target: target, what: "a ** that is not last", body: body(#""resources":["/v1/**/items"]"#), field: "resources"),
            Case(target: target, what: "an HTTP method with a space", body: body(#""allowedMethods":["GE T"]"#), field: "allowedMethods"),
            Case(target: target, what: "a method that is POST only after Unicode case mapping", body: body(#""allowedMethods":["po\u017ft"]"#), field: "allowedMethods"),
            Case(target: target, what: "a method that grows under Unicode case mapping", body: body(#""allowedMethods":["\u00df"]"#), field: "allowedMethods"),
            Case(target: target, what: "a resource pattern with a trailing slash", body: body(#""resources":["/v1/orders/"]"#), field: "resources"),
            Case(target: target, what: "a resource pattern with a star inside a segment", body: body(#""resources":["/v1/a*"]"#), field: "resources"),
            Case(target: target, what: "an unknown authorizationType", body: body(#""authorizationType":"digest""#), field: "authorizationType"),
            Case(target: target, what: "an unknown sessionAccess", body: body(#""sessionAccess":"sometimes""#), field: "sessionAccess"),
            Case(target: target, what: "sessionAccess auto without sessionCustomer", body: body(#""sessionAccess":"auto""#), field: "sessionCustomer"),
            Case(target: target, what: "a sessionCustomer without sessionAccess auto", body: body(#""sessionAccess":"any","sessionCustomer":"c1""#), field: "sessionCustomer"),
            Case(
                target: target, what: "101 scopes",
                body: body(#""scopes":[\#((0...100).map { "\"s\($0)\"" }.joined(separator: ","))]"#), field: "scopes"
            ),
            Case(target: target, what: "a 2,001 character description", body: body(#""description":"\#(String(repeating: "d", count: 2001))""#), field: "description"),
            Case(target: target, what: "disabled as a string", body: body(#""disabled":"yes""#), field: "disabled"),
        ]
        if target.isCreate {
            cases.append(Case(target: target, what: "a missing name", body: Array(#"{"scopes":["a"]}"#.utf8), field: "name"))
            cases.append(Case(target: target, what: "an organisation that is a number", body: body(#""organisation":7"#), field: "organisation"))
        } else {
            cases.append(Case(target: target, what: "an organisation change", body: body(#""organisation":"default""#), field: "organisation"))
        }
        return cases
    }

    static let cases: [Case] = Target.allCases.flatMap { target in
        common(target) + (target.isApplication ? applicationCases(target) : organisationCases(target))
    }

    @Test("Bad input to a body-taking route is a 4xx in the error format and changes nothing", arguments: cases)
    func badBody(_ badCase: Case) async throws {
        try await withAdminAPI { api in
            let organisation = try await api.createOrganisation("acme")
            let application = try await api.createApplication(["name": "shop", "organisation": "acme"])
            let uri: String
            let showURI: String?
            switch badCase.target {
            case .createOrganisation: (uri, showURI) = ("/admin/v1/orgs", nil)
            case .createApplication: (uri, showURI) = ("/admin/v1/apps", nil)
            case .updateOrganisation:
                uri = "/admin/v1/orgs/\(organisation["id"] as! String)"
                showURI = uri
            case .updateApplication:
                uri = "/admin/v1/apps/\(application["id"] as! String)"
                showURI = uri
            }
            let before = try await api.snapshot()
            var shownBefore: String?
            if let showURI { shownBefore = try await api.get(showURI).text }

            let reply = try await api.send(
                badCase.target.method, uri, body: ByteBuffer(bytes: badCase.body), contentType: badCase.contentType
            )
            Self.checkAnswer(reply, badCase)
            #expect(!reply.text.contains("ghcs_"))

            #expect(try await api.snapshot() == before)
            if let showURI {
                #expect(try await api.get(showURI).text == shownBefore)
            }
        }
    }

    /// The answer is the expected 4xx in the admin error format, naming the field when there is one.
    static func checkAnswer(_ reply: Reply, _ badCase: Case) {
        #expect(reply.status.code == badCase.status, "\(reply.status) \(reply.text.prefix(300))")
        #expect((400..<500).contains(reply.status.code))
        #expect(reply.string("error") == "invalid_request", "\(reply.text.prefix(300))")
        #expect((reply.string("message") ?? "").isEmpty == false)
        #expect((reply.string("message") ?? "").count < 1000, "the message should not echo a huge input")
        if let field = badCase.field {
            #expect(reply.string("field") == field, "\(reply.text.prefix(300))")
        }
    }

    struct PagingCase: Sendable, CustomTestStringConvertible {
        var list: String
        var query: String
        var field: String
        var testDescription: String { "\(list)?\(query)" }
    }

    static let pagingCases: [PagingCase] = ["orgs", "apps", "audit"].flatMap { list in
        [
            PagingCase(list: list, query: "pageIndex=0", field: "pageIndex"),
            PagingCase(list: list, query: "pageIndex=-1", field: "pageIndex"),
            PagingCase(list: list, query: "pageIndex=1.5", field: "pageIndex"),
            PagingCase(list: list, query: "pageIndex=99999999999999999999999", field: "pageIndex"),
            PagingCase(list: list, query: "pageSize=0", field: "pageSize"),
            PagingCase(list: list, query: "pageSize=1000", field: "pageSize"),
            PagingCase(list: list, query: "pageSize=abc", field: "pageSize"),
            PagingCase(list: list, query: "pageSize=", field: "pageSize"),
            PagingCase(list: list, query: "keywords=\(String(repeating: "k", count: 201))", field: "keywords"),
        ]
    }

    @Test("Bad paging parameters are 400 invalid_request naming the parameter", arguments: pagingCases)
    func badPaging(_ pagingCase: PagingCase) async throws {
        try await withAdminAPI { api in
            let before = try await api.snapshot()
            let reply = try await api.get("/admin/v1/\(pagingCase.list)?\(pagingCase.query)")
            expectError(reply, .badRequest, "invalid_request", field: pagingCase.field)
            #expect(reply["items"] == nil)
            #expect(try await api.snapshot() == before)
        }
    }

    @Test("The largest page size, 100, is accepted")
    func largestPage() async throws {
        try await withAdminAPI { api in
            for list in ["orgs", "apps", "audit"] {
                let reply = try await api.get("/admin/v1/\(list)?pageSize=100&pageIndex=1")
                #expect(reply.status == .ok, "\(list): \(reply.text)")
                #expect(reply.int("pageSize") == 100)
            }
        }
    }

    @Test("An oversized body is refused with 413 on a live server, and the server keeps serving")
    func oversizedLive() async throws {
        try await withAdminAPI(.live) { api in
            let before = try await api.snapshot()
            let body = jsonBody(["name": "big", "description": String(repeating: "d", count: 100_000)])
            let reply = try await api.send(.post, "/admin/v1/apps", body: body)
            #expect(reply.status == .contentTooLarge, "\(reply.status) \(reply.text)")
            #expect(reply.string("error") == "invalid_request")
            #expect(reply.status != .created)
            #expect(try await api.snapshot() == before)
            let after = try await api.get("/admin/v1/orgs")
            #expect(after.status == .ok)
        }
    }

    @Test("A body just under 64 KiB is accepted")
    func justUnderTheLimit() async throws {
        try await withAdminAPI { api in
            // 2,000 characters of description is the longest allowed, so pad with many scopes instead.
            let scopes = (0..<100).map { "scope-\($0)-" + String(repeating: "s", count: 190) }
            let body = jsonBody(["name": "padded", "scopes": scopes])
            #expect(body.readableBytes > 16 * 1024 && body.readableBytes < 64 * 1024)
            let reply = try await api.send(.post, "/admin/v1/apps", body: body)
            #expect(reply.status == .created, "\(reply.text.prefix(300))")
        }
    }

    @Test("Unknown ids are 404 not_found on every id route and change nothing")
    func unknownIDs() async throws {
        try await withAdminAPI { api in
            try await api.createApplication(["name": "shop"])
            let before = try await api.snapshot()
            let unknown = "00000000-0000-0000-0000-000000000000"
            let requests: [(HTTPRequest.Method, String, ByteBuffer?)] = [
                (.get, "/admin/v1/orgs/\(unknown)", nil),
                (.patch, "/admin/v1/orgs/\(unknown)", jsonBody(["maxApplications": 3])),
                (.delete, "/admin/v1/orgs/\(unknown)", nil),
                (.get, "/admin/v1/apps/\(unknown)", nil),
                (.patch, "/admin/v1/apps/\(unknown)", jsonBody(["description": "x"])),
                (.delete, "/admin/v1/apps/\(unknown)", nil),
                (.post, "/admin/v1/apps/\(unknown)/secret", nil),
                (.get, "/admin/v1/orgs/\(String(repeating: "x", count: 5000))", nil),
                (.get, "/admin/v1/apps/%27%20OR%201%3D1%20--", nil),
            ]
            for (method, uri, body) in requests {
                let reply = try await api.send(method, uri, body: body)
                expectError(reply, .notFound, "not_found")
                #expect((reply.string("message") ?? "").count < 1000)
            }
            #expect(try await api.snapshot() == before)
        }
    }

    /// Red-team finding: an unknown field named by a secret was quoted whole in `field`.
    @Test("A secret used as an unknown field's name is cut to its prefix in field and message")
    func aSecretAsAnUnknownFieldNameIsRedacted() async throws {
        try await withAdminAPI { api in
            let secret = SecretFormat.generate(.clientSecret)
            let reply = try await api.send(.post, "/admin/v1/apps", body: ByteBuffer(string: #"{"name":"n","\#(secret)":1}"#))
            expectError(reply, .badRequest, "invalid_request")
            #expect(!reply.text.contains(String(secret.dropFirst(5).prefix(10))), "\(reply.text)")
            #expect(reply.string("field") == "ghcs_…")
        }
    }
}
