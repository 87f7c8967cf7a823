import Foundation
import GatehouseCore
@testable import GatehouseStore
import Testing

extension StoreConformance {
    @Suite struct OrganisationStoreTests {
        @Test(arguments: StoreBackend.all)
        func anOrganisationRoundTripsByIdAndName(_ backend: StoreBackend) async throws {
            try await backend.withStore { store in
                let organisation = Fixture.organisation("acme", max: 3)
                try await store.insertOrganisation(organisation, audit: Fixture.audit())
                #expect(try await store.organisation(id: organisation.id) == organisation)
                #expect(try await store.organisation(name: "acme") == organisation)
                #expect(try await store.organisation(name: "ACME") == nil)
                #expect(try await store.organisation(id: "missing") == nil)
            }
        }

        @Test(arguments: StoreBackend.all)
        func aTakenNameIsAConflictAndWritesNoAuditEvent(_ backend: StoreBackend) async throws {
            try await backend.withStore { store in
                try await store.insertOrganisation(Fixture.organisation("acme"), audit: Fixture.audit())
                await #expect(throws: DomainError.self) {
                    try await store.insertOrganisation(Fixture.organisation("acme"), audit: Fixture.audit())
                }
                #expect(try await store.auditEvents(PageRequest()).total == 1)
                #expect(try await store.organisations(PageRequest()).total == 1)
            }
        }

        @Test(arguments: StoreBackend.all)
        func updatesAndDeletesReportMissingRows(_ backend: StoreBackend) async throws {
            try await backend.withStore { store in
                var organisation = Fixture.organisation("acme", max: 1)
                try await store.insertOrganisation(organisation, audit: Fixture.audit())
                organisation.name = "acme-two"
                organisation.maxApplications = nil
                try await store.updateOrganisation(organisation, audit: Fixture.audit())
                #expect(try await store.organisation(id: organisation.id) == organisation)
                await #expect(throws: DomainError.notFound("organisation 'nope'")) {
                    try await store.updateOrganisation(Organisation(id: "nope", name: "x", maxApplications: nil, createdAt: Fixture.now), audit: Fixture.audit())
                }
                await #expect(throws: DomainError.notFound("organisation 'nope'")) { try await store.deleteOrganisation(id: "nope", audit: Fixture.audit()) }
                try await store.deleteOrganisation(id: organisation.id, audit: Fixture.audit())
                #expect(try await store.organisation(id: organisation.id) == nil)
                #expect(try await store.auditEvents(PageRequest()).total == 3, "create, update, delete; failures wrote nothing")
            }
        }

        @Test(arguments: StoreBackend.all)
        func anOrganisationWithApplicationsCannotBeDeleted(_ backend: StoreBackend) async throws {
            try await backend.withStore { store in
                let organisation = Fixture.organisation()
                try await store.insertOrganisation(organisation, audit: Fixture.audit())
                try await store.insertApplication(Fixture.application(in: organisation), audit: Fixture.audit())
                await #expect(throws: DomainError.self) { try await store.deleteOrganisation(id: organisation.id, audit: Fixture.audit()) }
                #expect(try await store.organisation(id: organisation.id) != nil)
            }
        }

        @Test(arguments: StoreBackend.all)
        func listsPageInCreationOrderAndFilterByKeywords(_ backend: StoreBackend) async throws {
            try await backend.withStore { store in
                for (index, name) in ["alpha", "Beta", "gamma", "alphabet", "under_score"].enumerated() {
                    var organisation = Fixture.organisation(name)
                    organisation.createdAt = Fixture.now.addingTimeInterval(Double(index))
                    try await store.insertOrganisation(organisation, audit: Fixture.audit())
                }
                let second = try await store.organisations(PageRequest(pageIndex: 2, pageSize: 2))
                #expect(second.total == 5)
                #expect(second.items.map(\.name) == ["gamma", "alphabet"])
                #expect(try await store.organisations(PageRequest(pageIndex: 9, pageSize: 2)).items.isEmpty)
                #expect(try await store.organisations(PageRequest(keywords: "ALPHA")).items.map(\.name) == ["alpha", "alphabet"])
                #expect(try await store.organisations(PageRequest(keywords: "beta")).total == 1)
                // LIKE wildcards in keywords are literal characters.
                #expect(try await store.organisations(PageRequest(keywords: "_")).items.map(\.name) == ["under_score"])
                #expect(try await store.organisations(PageRequest(keywords: "%")).total == 0)
                #expect(try await store.organisations(PageRequest(keywords: "'; DROP TABLE organisations; --")).total == 0)
                #expect(try await store.organisations(PageRequest()).total == 5)
            }
        }
    }
}
