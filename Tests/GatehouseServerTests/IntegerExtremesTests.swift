import Foundation
import GatehouseCore
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Issue 14, point 6: every integer a client supplies — every query parameter of every list route,
/// every integer field of every body, the NumericDates of a token — is bounded before any
/// arithmetic. Extremes are a clear 4xx in the endpoint's own format (or a refused token), never a
/// trap that stops the process, never a 5xx.
@Suite("Integer extremes")
struct IntegerExtremesTests {
    /// Numbers as a client may spell them: Int64/UInt64 edges, overlong digit strings, negative
    /// zero, exponent forms, fractions. None is a valid page index, page size, TTL or quota.
    static let extremes = [
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
        "18446744073709551615", "18446744073709551616", String(repeating: "9", count: 400), "-" + String(repeating: "9", count: 400),
        "-0", "1e309", "-1e309", "1e3", "1.5", "2147483648", "-2147483649",
    ]

    struct QueryCase: Sendable, CustomTestStringConvertible {
        var parameter: String
        var value: String
        var testDescription: String { "\(parameter)=\(value.prefix(30))" }
    }

    static let queryCases = ["pageIndex", "pageSize"].flatMap { parameter in
        extremes.map { QueryCase(parameter: parameter, value: $0) }
    }

    /// Every list route of the real router: each `GET` without a path parameter that answers a page.
    static func listRoutes(_ api: AdminClient) async throws -> [String] {
        var lists: [String] = []
        for route in try await routerRoutes() where route.method == "GET" && route.path.hasPrefix("/admin/v1/") && !route.path.contains("{") {
            if try await api.get(route.path)["pageIndex"] != nil { lists.append(route.path) }
        }
        return lists
    }

    @Test("Every list route answers an extreme paging parameter with 400 invalid_request naming it", arguments: queryCases)
    func extremePaging(_ queryCase: QueryCase) async throws {
        try await withAdminAPI { api in
            let lists = try await Self.listRoutes(api)
            #expect(lists.count >= 6, "orgs, apps, users, apikeys, consumer-credentials, audit: \(lists)")
            let other = queryCase.parameter == "pageIndex" ? "pageSize=2" : "pageIndex=2"
            for list in lists {
                let reply = try await api.get("\(list)?\(queryCase.parameter)=\(queryCase.value)&\(other)")
                expectError(reply, .badRequest, "invalid_request", field: queryCase.parameter)
                #expect((reply.string("message") ?? "").count < 200, "the message does not echo the number")
            }
            #expect(try await api.get("/admin/v1/orgs").status == .ok, "the server still answers")
        }
    }

    @Test("The last page index the API accepts answers an empty page; one more is 400")
    func pageIndexBound() async throws {
        try await withAdminAPI { api in
            for list in try await Self.listRoutes(api) {
                let last = try await api.get("\(list)?pageIndex=\(PageRequest.maxPageIndex)&pageSize=\(PageRequest.maxPageSize)")
                #expect(last.status == .ok, "\(list): \(last.text)")
                #expect(last.items.isEmpty)
                let beyond = try await api.get("\(list)?pageIndex=\(PageRequest.maxPageIndex + 1)")
                expectError(beyond, .badRequest, "invalid_request", field: "pageIndex")
            }
        }
    }

    @Test("A page request's offset cannot overflow, whatever the CLI passes")
    func pageRequestBounds() throws {
        #expect(throws: ValidationError.self) { try PageRequest(pageIndex: Int.max, pageSize: 2) }
        #expect(throws: ValidationError.self) { try PageRequest(pageIndex: Int.min, pageSize: 2) }
        #expect(throws: ValidationError.self) { try PageRequest(pageIndex: 1, pageSize: Int.max) }
        let last = try PageRequest(pageIndex: PageRequest.maxPageIndex, pageSize: PageRequest.maxPageSize)
        #expect(last.offset == (PageRequest.maxPageIndex - 1) * PageRequest.maxPageSize)
    }

    /// The integer fields of the admin API's bodies, with the route that takes each.
    enum BodyTarget: String, Sendable, CaseIterable {
        case createOrganisation = "POST /orgs maxApplications"
        case updateOrganisation = "PATCH /orgs/{id} maxApplications"
        case createApplication = "POST /apps accessTokenTTL"
        case updateApplication = "PATCH /apps/{id} accessTokenTTL"

        var field: String { self == .createOrganisation || self == .updateOrganisation ? "maxApplications" : "accessTokenTTL" }
        var method: HTTPRequest.Method { self == .createOrganisation || self == .createApplication ? .post : .patch }
    }

    struct BodyCase: Sendable, CustomTestStringConvertible {
        var target: BodyTarget
        var value: String
        var testDescription: String { "\(target.rawValue) = \(value.prefix(30))" }
    }

    /// `-0` is an integer zero, a valid quota: it is left to the TTL (where 0 is refused).
    static let bodyCases = BodyTarget.allCases.flatMap { target in
        extremes.filter { target.field == "accessTokenTTL" || $0 != "-0" }.map { BodyCase(target: target, value: $0) }
    }

    @Test("Every integer body field answers an extreme number with 400 invalid_request and changes nothing", arguments: bodyCases)
    func extremeBodyField(_ bodyCase: BodyCase) async throws {
        try await withAdminAPI { api in
            let organisation = try await api.createOrganisation("acme")
            let application = try await api.createApplication(["name": "shop", "organisation": "acme"])
            let uri = switch bodyCase.target {
            case .createOrganisation: "/admin/v1/orgs"
            case .updateOrganisation: "/admin/v1/orgs/\(organisation["id"] as! String)"
            case .createApplication: "/admin/v1/apps"
            case .updateApplication: "/admin/v1/apps/\(application["id"] as! String)"
            }
            let name = bodyCase.target.field == "maxApplications" ? "extreme" : "extreme app"
            let body = #"{"name":"\#(name)","\#(bodyCase.target.field)":\#(bodyCase.value)}"#
            let before = try await api.snapshot()
            let reply = try await api.send(bodyCase.target.method, uri, body: ByteBuffer(string: body))
            #expect(reply.status == .badRequest, "\(reply.status) \(reply.text.prefix(300))")
            #expect(reply.string("error") == "invalid_request", "\(reply.text.prefix(300))")
            #expect(reply["field"] == nil || reply.string("field") == bodyCase.target.field, "\(reply.text.prefix(300))")
            #expect(reply.text.count < 1000, "the answer does not echo a 400-digit number")
            #expect(try await api.snapshot() == before)
        }
    }

    /// NumericDates a token could carry if it were signed with the server's own key: the server
    /// never does, but a verifier must not trap on them either.
    static let numericDateClaims: [(what: String, exp: String, iat: String, nbf: String)] = [
        ("exp 1e300", "1e300", "0", "0"),
        ("exp beyond Int64", "9223372036854775808", "0", "0"),
        ("exp Int64.max and iat Int64.min", "9223372036854775807", "-9223372036854775808", "-9223372036854775808"),
        ("a 400-digit exp", String(repeating: "9", count: 400), "0", "0"),
        ("exp as a fraction", "4102444800.5", "0", "0"),
        ("nbf -1e300", "4102444800", "0", "-1e300"),
    ]

    @Test("Tokens signed with extreme NumericDates are refused by the check and inactive at introspection, for both token types")
    func extremeNumericDates() async throws {
        try await withCheckServer { server in
            let app = try await server.createPolicyApp()
            for claims in Self.numericDateClaims {
                let payload = #"{"aud":"\#(server.audience)","client_id":"\#(app.clientId)","exp":\#(claims.exp),"iat":\#(claims.iat),"#
                    + #""iss":"\#(server.issuer)","jti":"\#(UUID().uuidString)","nbf":\#(claims.nbf),"org":"\#(app.organisation)","#
                    + #""scope":"","sub":"\#(app.clientId)"}"#
                for type in [AccessTokenClaims.type, ConsumerToken.type] {
                    let token = try JWS.sign(payload: Array(payload.utf8), type: type, with: server.keys.active)
                    expectUnauthorized(try await server.check(.bearer(token), "GET", "/v1/orders"), "\(type): \(claims.what)")
                    #expect(try await server.isActive(token) == false, "\(type): \(claims.what)")
                }
            }
            #expect(try await server.clientCredentials(app).status == .ok, "the server still answers")
        }
    }
}
