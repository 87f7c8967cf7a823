import Foundation
import GatehouseCore
@testable import GatehouseStore
import Testing

extension StoreConformance {
    @Suite struct MigrationTests {
        @Test(arguments: StoreBackend.all)
        func migratingAgainChangesNothing(_ backend: StoreBackend) async throws {
            try await backend.withStore { store in
                let applied = try await Migrator(executor: store.executor, migrations: Migrations.all).migrate()
                #expect(applied.isEmpty)
                try await store.ping()
            }
        }

        @Test(arguments: StoreBackend.all)
        func aSettingIsWrittenOnlyOnce(_ backend: StoreBackend) async throws {
            try await backend.withStore { store in
                let first = try await store.insertSettingIfAbsent("pepper", value: Data([1, 2, 3]))
                let second = try await store.insertSettingIfAbsent("pepper", value: Data([9]))
                #expect(first == Data([1, 2, 3]))
                #expect(second == Data([1, 2, 3]))
            }
        }

        @Test func databaseURLsParseAndHideTheirPassword() throws {
            #expect(try DatabaseURL("sqlite:///var/lib/g.sqlite") == .sqlite(path: "/var/lib/g.sqlite"))
            #expect(try DatabaseURL("sqlite://./g.sqlite") == .sqlite(path: "./g.sqlite"))
            let postgres = try DatabaseURL("postgres://user:s3cret@db.local:6543/gate")
            #expect(postgres == .postgres(host: "db.local", port: 6543, username: "user", password: "s3cret", database: "gate"))
            #expect(!postgres.description.contains("s3cret"))
            for bad in ["", "foo://x", "sqlite://", "postgres://host/db", "postgres://u@/db", "postgres://u:p@host"] {
                #expect(throws: DatabaseURL.Invalid.self, "\(bad)") { try DatabaseURL(bad) }
            }
            #expect(throws: DatabaseURL.Invalid.self) { try DatabaseURL("mysql://u:topsecret@h/db") }
            do { _ = try DatabaseURL("mysql://u:topsecret@h/db") } catch { #expect(!"\(error)".contains("topsecret")) }
        }
    }
}
