import Foundation
import GatehouseCore
@testable import GatehouseStore
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
    }
}
