import Foundation
import GatehouseCore
@testable import GatehouseStore
import Logging
import SQLKit
import Testing

/// A database the conformance suite runs on: SQLite always; PostgreSQL when
/// `GATEHOUSE_TEST_POSTGRES_URL` is set (CI sets it).
enum StoreBackend: String, CustomStringConvertible, Sendable {
    case sqlite
    case postgres

    static var all: [StoreBackend] {
        ProcessInfo.processInfo.environment["GATEHOUSE_TEST_POSTGRES_URL"] == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    var description: String { rawValue }

    /// Opens a fresh, empty, migrated database, runs `body`, and closes it.
    func withStore(_ body: (SQLStore) async throws -> Void) async throws {
        let database = try await Database.open(try freshURL(), logger: Logger(label: "test"))
        do {
            try await body(database.store)
        } catch {
            try? await database.close()
            throw error
        }
        try await database.close()
    }

    /// SQLite: a new file. PostgreSQL: the test database with its schema dropped and recreated
    /// (the suite runs serialized, so no two tests share it at once).
    func freshURL() async throws -> DatabaseURL {
        switch self {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-store-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            return .sqlite(path: directory.appendingPathComponent("test.sqlite").path)
        case .postgres:
            let url = try DatabaseURL(ProcessInfo.processInfo.environment["GATEHOUSE_TEST_POSTGRES_URL"] ?? "")
            let database = try await Database.open(url, logger: Logger(label: "test"))
            try await database.store.executor.withDatabase { sql in
                try await sql.raw("DROP SCHEMA public CASCADE").run()
                try await sql.raw("CREATE SCHEMA public").run()
            }
            try await database.close()
            return url
        }
    }
}

/// Values for the suite.
enum Fixture {
    static let now = Date(timeIntervalSince1970: 1_800_000_000.123)

    static func organisation(_ name: String = "org-\(UUID().uuidString.prefix(8))", max: Int? = nil) -> Organisation {
        Organisation(id: UUID().uuidString.lowercased(), name: name, maxApplications: max, createdAt: now)
    }

    static func application(in organisation: Organisation, name: String = "Shop") -> Application {
        Application(
            id: UUID().uuidString.lowercased(), organisationId: organisation.id, clientId: UUID().uuidString.lowercased(),
            secretHash: String(repeating: "ab", count: 32), name: name, description: nil,
            grantTypes: ["client_credentials", "refresh_token"], scopes: ["orders:read", "orders:write"],
            redirectUris: ["https://app.example/cb"], authorizationType: .basic, allowedIPs: ["10.0.0.0/8", "2001:db8::/32"],
            allowedMethods: ["GET"], resources: ["/v1/orders/**"], sessionAccess: .auto, sessionCustomer: "alice",
            accessTokenTTL: 900, disabled: true, createdAt: now, updatedAt: now.addingTimeInterval(5),
            contactEmail: "developer@app.example"
        )
    }

    static func audit(_ action: String = "test.change") -> AuditEvent {
        .make(action, "thing", UUID().uuidString, by: AuditActor(name: "tester", ip: "127.0.0.1"), at: now, details: ["k": "v"])
    }
}

/// The one storage conformance suite (ARCHITECTURE.md): every store implementation must pass it.
/// Serialized as a whole because the PostgreSQL runs share one test database.
@Suite(.serialized) enum StoreConformance {}
