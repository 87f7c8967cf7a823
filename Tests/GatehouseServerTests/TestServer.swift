import Foundation
import GatehouseCore
@testable import GatehouseServer
import GatehouseStore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// A throw-away database directory and an admin key for one test.
struct Sandbox: Sendable {
    let directory: URL
    let adminKey: String

    init(adminKey: String = SecretFormat.generate(.adminKey)) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.adminKey = adminKey
    }

    var databasePath: String { directory.appendingPathComponent("test.sqlite").path }

    var configuration: ServerConfiguration { configuration(bootstrapAdminKey: adminKey) }

    func configuration(bootstrapAdminKey: String?) -> ServerConfiguration {
        ServerConfiguration(
            database: .sqlite(path: databasePath), bootstrapAdminKey: bootstrapAdminKey, logLevel: .error, passwordRounds: 1000
        )
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Builds a fresh server on its own database and runs `body` against it through the
/// Hummingbird test client (`.router` by default; `.live` when a real peer address matters).
func withAdminAPI<Value: Sendable>(
    _ setup: TestingSetup = .router,
    _ body: @Sendable (AdminClient) async throws -> Value
) async throws -> Value {
    let sandbox = try Sandbox()
    defer { sandbox.remove() }
    let app = try await buildApplication(sandbox.configuration)
    return try await app.test(setup) { client in
        try await body(AdminClient(client: client, key: sandbox.adminKey))
    }
}

/// How a request authenticates.
enum Credential: Sendable {
    /// `Authorization: Bearer <the test's admin key>`.
    case admin
    /// No `Authorization` header at all.
    case none
    /// This exact `Authorization` header value.
    case header(String)
}

/// One answer, with JSON helpers.
struct Reply {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let body: ByteBuffer

    var text: String { String(buffer: body) }
    var json: Any? { try? JSONSerialization.jsonObject(with: Data(body.readableBytesView), options: [.fragmentsAllowed]) }
    var object: [String: Any] { json as? [String: Any] ?? [:] }
    var items: [[String: Any]] { object["items"] as? [[String: Any]] ?? [] }
    var total: Int? { object["total"] as? Int }
    subscript(key: String) -> Any? { object[key] }
    func string(_ key: String) -> String? { object[key] as? String }
    func int(_ key: String) -> Int? { object[key] as? Int }
    func strings(_ key: String) -> [String]? { object[key] as? [String] }
    /// Whether the field is present and JSON `null`.
    func isNull(_ key: String) -> Bool { object[key] is NSNull }
}

/// The admin API as a test sees it.
struct AdminClient: Sendable {
    let client: any TestClientProtocol
    let key: String

    func send(
        _ method: HTTPRequest.Method, _ uri: String, body: ByteBuffer? = nil,
        contentType: String? = "application/json", credential: Credential = .admin, extraHeaders: HTTPFields = [:]
    ) async throws -> Reply {
        var headers = extraHeaders
        switch credential {
        case .admin: headers[.authorization] = "Bearer \(key)"
        case .none: break
        case .header(let value): headers[.authorization] = value
        }
        if body != nil, let contentType { headers[.contentType] = contentType }
        let response = try await client.executeRequest(uri: uri, method: method, headers: headers, body: body)
        return Reply(status: response.status, headers: response.headers, body: response.body)
    }

    func get(_ uri: String, credential: Credential = .admin) async throws -> Reply {
        try await send(.get, uri, credential: credential)
    }

    func post(_ uri: String, _ fields: [String: Any] = [:]) async throws -> Reply {
        try await send(.post, uri, body: jsonBody(fields))
    }

    func patch(_ uri: String, _ fields: [String: Any]) async throws -> Reply {
        try await send(.patch, uri, body: jsonBody(fields))
    }

    func delete(_ uri: String) async throws -> Reply {
        try await send(.delete, uri)
    }

    /// Creates an organisation and returns its JSON; the create must answer 201.
    @discardableResult
    func createOrganisation(_ name: String, maxApplications: Int? = nil) async throws -> [String: Any] {
        var fields: [String: Any] = ["name": name]
        if let maxApplications { fields["maxApplications"] = maxApplications }
        let reply = try await post("/admin/v1/orgs", fields)
        try #require(reply.status == .created, "creating organisation \(name): \(reply.status) \(reply.text)")
        return reply.object
    }

    /// Creates an application and returns its JSON (with the secret); the create must answer 201.
    @discardableResult
    func createApplication(_ fields: [String: Any]) async throws -> [String: Any] {
        let reply = try await post("/admin/v1/apps", fields)
        try #require(reply.status == .created, "creating application: \(reply.status) \(reply.text)")
        return reply.object
    }

    /// The `total` of a list answer.
    func total(_ uri: String) async throws -> Int {
        let reply = try await get(uri)
        try #require(reply.status == .ok, "listing \(uri): \(reply.status) \(reply.text)")
        return try #require(reply.total)
    }

    func auditTotal() async throws -> Int { try await total("/admin/v1/audit") }

    /// The newest audit entries, newest first.
    func auditEntries(pageSize: Int = 100) async throws -> [[String: Any]] {
        let reply = try await get("/admin/v1/audit?pageSize=\(pageSize)")
        try #require(reply.status == .ok)
        return reply.items
    }

    /// Counts that any change to the database moves: the audit log and the list totals. The
    /// rate-limited rows of failed admin authentications record no change, so they do not count.
    func snapshot() async throws -> Snapshot {
        Snapshot(
            audit: try await auditTotal() - total("/admin/v1/audit?keywords=adminkey.authenticate.failure"),
            organisations: try await total("/admin/v1/orgs"),
            applications: try await total("/admin/v1/apps")
        )
    }
}

struct Snapshot: Equatable, Sendable, CustomStringConvertible {
    var audit: Int
    var organisations: Int
    var applications: Int

    var description: String { "audit=\(audit) orgs=\(organisations) apps=\(applications)" }
}

/// A JSON body from a dictionary (`NSNull()` for `null`).
func jsonBody(_ fields: [String: Any]) -> ByteBuffer {
    let data = try! JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
    return ByteBuffer(bytes: data)
}

/// Checks that `reply` is an admin API error: the status, `error` code, a `message`, and `field` when given.
func expectError(
    _ reply: Reply, _ status: HTTPResponse.Status, _ code: String, field: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(reply.status == status, "\(reply.text)", sourceLocation: sourceLocation)
    #expect(reply.string("error") == code, "\(reply.text)", sourceLocation: sourceLocation)
    #expect((reply.string("message") ?? "").isEmpty == false, "\(reply.text)", sourceLocation: sourceLocation)
    #expect(reply.headers[.contentType]?.hasPrefix("application/json") == true, sourceLocation: sourceLocation)
    if let field {
        #expect(reply.string("field") == field, "\(reply.text)", sourceLocation: sourceLocation)
    }
}

/// One route of the router, with its path in OpenAPI form (`/admin/v1/orgs/{id}`).
struct RouteInfo: Sendable, Hashable, CustomStringConvertible {
    var method: String
    var path: String
    var description: String { "\(method) \(path)" }

    /// The path with every `{parameter}` replaced by `value`.
    func concrete(_ value: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("{") && $0.hasSuffix("}") ? value : String($0) }
            .joined(separator: "/")
    }
}

/// Every route the real router serves, read from `Router.routes` over a scratch database.
func routerRoutes() async throws -> [RouteInfo] {
    let sandbox = try Sandbox()
    defer { sandbox.remove() }
    let logger = Logger(label: "gatehouse-tests") { _ in SwiftLogNoOpLogHandler() }
    let database = try await Database.open(.sqlite(path: sandbox.databasePath), logger: logger)
    do {
        let router = try await buildRouter(sandbox.configuration, store: database.store, logger: logger)
        try await database.close()
        return router.routes.map { RouteInfo(method: $0.method.rawValue, path: openAPIPath("\($0.path)")) }
    } catch {
        try? await database.close()
        throw error
    }
}

/// `/a/:id/b` or `/a/{id}/b` → `/a/{id}/b`, always with a leading slash.
func openAPIPath(_ path: String) -> String {
    let segments = path.split(separator: "/").map { segment -> String in
        if segment.hasPrefix(":") { return "{\(segment.dropFirst())}" }
        if segment.hasPrefix("${") && segment.hasSuffix("}") { return "{\(segment.dropFirst(2).dropLast())}" }
        return String(segment)
    }
    return "/" + segments.joined(separator: "/")
}

/// `secret` with its last (checksum) character changed, so it is no longer well-formed.
func corrupted(_ secret: String) -> String {
    String(secret.dropLast()) + (secret.last == "0" ? "1" : "0")
}
