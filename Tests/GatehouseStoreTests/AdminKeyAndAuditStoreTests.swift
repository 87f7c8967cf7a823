import Foundation
import GatehouseCore
@testable import GatehouseStore
import SQLKit
import Testing

extension StoreConformance {
    @Suite struct AdminKeyAndAuditStoreTests {
        @Test(arguments: StoreBackend.all)
        func anAdminKeyIsAddedOnceAndFoundByHash(_ backend: StoreBackend) async throws {
            try await backend.withStore { store in
                let key = AdminKey(id: UUID().uuidString, name: "ops", keyHash: String(repeating: "1f", count: 32), createdAt: Fixture.now)
                let inserted = try await store.insertAdminKeyIfAbsent(key, audit: Fixture.audit())
                #expect(inserted)
                var again = key
                again.id = UUID().uuidString
                #expect(try await store.insertAdminKeyIfAbsent(again, audit: Fixture.audit()) == false)
                #expect(try await store.adminKeyCount() == 1)
                #expect(try await store.auditEvents(PageRequest()).total == 1, "the refused duplicate is not audited")
                #expect(try await store.adminKey(hash: key.keyHash) == key)
                #expect(try await store.adminKey(hash: "00") == nil)
            }
        }

        @Test(arguments: StoreBackend.all)
        func auditEventsRoundTripNewestFirst(_ backend: StoreBackend) async throws {
            try await backend.withStore { store in
                var events: [AuditEvent] = []
                for index in 0..<3 {
                    var organisation = Fixture.organisation()
                    organisation.createdAt = Fixture.now
                    var event = Fixture.audit("organisation.create")
                    event.at = Fixture.now.addingTimeInterval(Double(index))
                    event.ip = index == 0 ? nil : "2001:db8::1"
                    events.append(event)
                    try await store.insertOrganisation(organisation, audit: event)
                }
                let page = try await store.auditEvents(PageRequest(pageSize: 2))
                #expect(page.total == 3)
                #expect(page.items == [events[2], events[1]])
                #expect(try await store.auditEvents(PageRequest(pageIndex: 2, pageSize: 2)).items == [events[0]])
                #expect(try await store.auditEvents(PageRequest(keywords: "organisation.CREATE")).total == 3)
                #expect(try await store.auditEvents(PageRequest(keywords: "application")).total == 0)
            }
        }

        static func key(_ name: String, disabled: Bool = false, expiresAt: Date? = nil) -> AdminKey {
            AdminKey(
                id: UUID().uuidString, name: name, keyHash: UUID().uuidString, keyPrefix: "ghadm_abcd", expiresAt: expiresAt,
                disabled: disabled, createdAt: Fixture.now
            )
        }

        @Test(arguments: StoreBackend.all)
        func adminKeysRoundTripWithEveryColumn(_ backend: StoreBackend) async throws {
            try await backend.withStore { store in
                var key = Self.key("ops", expiresAt: Date(timeIntervalSince1970: 1_900_000_000))
                key.organisationId = nil
                _ = try await store.insertAdminKeyIfAbsent(key, audit: Fixture.audit())
                #expect(try await store.adminKey(id: key.id) == key)
                #expect(try await store.adminKeys(PageRequest()).items == [key])
                #expect(try await store.adminKeys(PageRequest(keywords: "OPS")).total == 1)
                #expect(try await store.adminKeys(PageRequest(keywords: "nope")).total == 0)
            }
        }

        @Test(arguments: StoreBackend.all)
        func theLastUsableAdminKeyCannotBeDisabledOrDeleted(_ backend: StoreBackend) async throws {
            try await backend.withStore { store in
                let only = Self.key("only")
                _ = try await store.insertAdminKeyIfAbsent(only, audit: Fixture.audit())
                let expired = Self.key("expired", expiresAt: Fixture.now.addingTimeInterval(-1))
                _ = try await store.insertAdminKeyIfAbsent(expired, audit: Fixture.audit())
                _ = try await store.insertAdminKeyIfAbsent(Self.key("disabled", disabled: true), audit: Fixture.audit())
                let audits = try await store.auditEvents(PageRequest()).total
                await #expect(throws: DomainError.self) {
                    try await store.deleteAdminKey(id: only.id, keepingOneUsableAt: Fixture.now, audit: Fixture.audit())
                }
                var disabled = only
                disabled.disabled = true
                await #expect(throws: DomainError.self) {
                    try await store.updateAdminKey(disabled, keepingOneUsableAt: Fixture.now, audit: Fixture.audit())
                }
                #expect(try await store.adminKey(id: only.id) == only)
                #expect(try await store.auditEvents(PageRequest()).total == audits, "a refused change is not audited")
                // Unusable keys go freely; a usable one once another is usable.
                try await store.deleteAdminKey(id: expired.id, keepingOneUsableAt: Fixture.now, audit: Fixture.audit())
                _ = try await store.insertAdminKeyIfAbsent(Self.key("second"), audit: Fixture.audit())
                try await store.updateAdminKey(disabled, keepingOneUsableAt: Fixture.now, audit: Fixture.audit())
                #expect(try await store.adminKey(id: only.id)?.disabled == true)
                await #expect(throws: DomainError.self) {
                    try await store.deleteAdminKey(id: "unknown", keepingOneUsableAt: Fixture.now, audit: Fixture.audit())
                }
            }
        }

        @Test(arguments: StoreBackend.all)
        func adminKeyUseIsRecordedInOneBatchAndNeverMovesBack(_ backend: StoreBackend) async throws {
            try await backend.withStore { store in
                let key = Self.key("ops")
                _ = try await store.insertAdminKeyIfAbsent(key, audit: Fixture.audit())
                let later = Date(timeIntervalSince1970: 1_800_000_060)
                try await store.recordAdminKeyUse([key.id: later, "unknown": later])
                try await store.recordAdminKeyUse([key.id: Fixture.now])
                #expect(try await store.adminKey(id: key.id)?.lastUsedAt == later)
            }
        }

        @Test(arguments: StoreBackend.all)
        func auditEventsWithoutAChangeAreAppended(_ backend: StoreBackend) async throws {
            try await backend.withStore { store in
                try await store.insertAuditEvents([Fixture.audit("adminkey.authenticate.failure"), Fixture.audit("adminkey.authenticate.failure")])
                try await store.insertAuditEvents([])
                #expect(try await store.auditEvents(PageRequest(keywords: "authenticate.failure")).total == 2)
            }
        }

        @Test(arguments: StoreBackend.all)
        func adminKeysStoredBeforeMigration4StayUsable(_ backend: StoreBackend) async throws {
            try await backend.withStore { store in
                try await store.executor.withDatabase { sql in
                    try await sql.raw("DROP TABLE admin_keys").run()
                    try await sql.raw("""
                        CREATE TABLE admin_keys (id TEXT PRIMARY KEY, name TEXT NOT NULL, key_hash TEXT NOT NULL UNIQUE, created_at BIGINT NOT NULL)
                        """).run()
                    try await sql.raw("DELETE FROM schema_migrations WHERE version = 4").run()
                    try await sql.raw("INSERT INTO admin_keys (id, name, key_hash, created_at) VALUES ('old', 'bootstrap', 'abcd', 1800000000000)").run()
                }
                let applied = try await Migrator(executor: store.executor, migrations: Migrations.all).migrate()
                #expect(applied == [4])
                let key = try #require(try await store.adminKey(hash: "abcd"))
                #expect(key.disabled == false && key.keyPrefix == nil && key.organisationId == nil && key.expiresAt == nil)
                #expect(key.updatedAt == key.createdAt && key.isUsable(at: Fixture.now))
            }
        }
    }
}
