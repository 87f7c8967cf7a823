import Foundation
import GatehouseCore
@testable import GatehouseStore
import Testing

extension StoreConformance {
    @Suite struct ApplicationStoreTests {
        @Test(arguments: StoreBackend.all)
        func everyFieldOfAnApplicationRoundTrips(_ backend: StoreBackend) async throws {
            try await backend.withStore { store in
                let organisation = Fixture.organisation()
                try await store.insertOrganisation(organisation, audit: Fixture.audit())
                let application = Fixture.application(in: organisation)
                try await store.insertApplication(application, audit: Fixture.audit())
                #expect(try await store.application(id: application.id) == application)
                #expect(try await store.application(clientId: application.clientId) == application)
                #expect(try await store.application(id: application.clientId) == nil)
                // The policy's rules come out of the row already parsed.
                let loaded = try #require(try await store.application(id: application.id))
                #expect(loaded.grantTypes == [.clientCredentials, .refreshToken])
                #expect(loaded.allowedIPs.map(\.network) == [CIDR("10.0.0.0/8"), CIDR("2001:db8::/32")])
                #expect(loaded.resources.map { $0.matches(pathSegments: ["v1", "orders", "7"]) } == [true])
            }
        }

        @Test(arguments: StoreBackend.all)
        func anApplicationNeedsAnExistingOrganisation(_ backend: StoreBackend) async throws {
            try await backend.withStore { store in
                let ghost = Fixture.organisation()
                await #expect(throws: DomainError.self) { try await store.insertApplication(Fixture.application(in: ghost), audit: Fixture.audit()) }
                let auditTotal = try await store.auditEvents(PageRequest()).total
                #expect(auditTotal == 0)
            }
        }

        @Test(arguments: StoreBackend.all)
        func theQuotaRefusesTheApplicationPastMaxApplications(_ backend: StoreBackend) async throws {
            try await backend.withStore { store in
                let organisation = Fixture.organisation(max: 2)
                try await store.insertOrganisation(organisation, audit: Fixture.audit())
                try await store.insertApplication(Fixture.application(in: organisation), audit: Fixture.audit())
                try await store.insertApplication(Fixture.application(in: organisation), audit: Fixture.audit())
                await #expect(throws: DomainError.quotaExceeded("the organisation may hold at most 2 applications")) {
                    try await store.insertApplication(Fixture.application(in: organisation), audit: Fixture.audit())
                }
                #expect(try await store.applications(organisationId: organisation.id, PageRequest()).total == 2)
            }
        }

        @Test(arguments: StoreBackend.all)
        func concurrentCreatesNeverOvershootTheQuota(_ backend: StoreBackend) async throws {
            try await backend.withStore { store in
                let organisation = Fixture.organisation(max: 3)
                try await store.insertOrganisation(organisation, audit: Fixture.audit())
                let successes = await withTaskGroup(of: Bool.self) { group in
                    for _ in 0..<12 {
                        group.addTask {
                            do {
                                try await store.insertApplication(Fixture.application(in: organisation), audit: Fixture.audit())
                                return true
                            } catch {
                                return false
                            }
                        }
                    }
                    return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
                }
                #expect(successes == 3)
                #expect(try await store.applications(organisationId: organisation.id, PageRequest()).total == 3)
            }
        }

        @Test(arguments: StoreBackend.all)
        func updatesReplaceEveryMutableField(_ backend: StoreBackend) async throws {
            try await backend.withStore { store in
                let organisation = Fixture.organisation()
                try await store.insertOrganisation(organisation, audit: Fixture.audit())
                var application = Fixture.application(in: organisation)
                try await store.insertApplication(application, audit: Fixture.audit())
                application.name = "Renamed"
                application.description = "now described"
                application.scopes = []
                application.sessionAccess = .none
                application.sessionCustomer = nil
                application.disabled = false
                application.secretHash = String(repeating: "cd", count: 32)
                application.updatedAt = Fixture.now.addingTimeInterval(60)
                try await store.updateApplication(application, audit: Fixture.audit())
                #expect(try await store.application(id: application.id) == application)
            }
        }

        @Test(arguments: StoreBackend.all)
        func listsFilterByOrganisationAndKeywords(_ backend: StoreBackend) async throws {
            try await backend.withStore { store in
                let first = Fixture.organisation()
                let second = Fixture.organisation()
                try await store.insertOrganisation(first, audit: Fixture.audit())
                try await store.insertOrganisation(second, audit: Fixture.audit())
                try await store.insertApplication(Fixture.application(in: first, name: "Billing"), audit: Fixture.audit())
                try await store.insertApplication(Fixture.application(in: first, name: "Shop"), audit: Fixture.audit())
                try await store.insertApplication(Fixture.application(in: second, name: "Shop EU"), audit: Fixture.audit())
                #expect(try await store.applications(organisationId: nil, PageRequest()).total == 3)
                #expect(try await store.applications(organisationId: first.id, PageRequest()).total == 2)
                #expect(try await store.applications(organisationId: nil, PageRequest(keywords: "shop")).total == 2)
                #expect(try await store.applications(organisationId: first.id, PageRequest(keywords: "shop")).items.map(\.name) == ["Shop"])
            }
        }

        @Test(arguments: StoreBackend.all)
        func deletingRemovesTheApplicationAndReportsMissingOnes(_ backend: StoreBackend) async throws {
            try await backend.withStore { store in
                let organisation = Fixture.organisation()
                try await store.insertOrganisation(organisation, audit: Fixture.audit())
                let application = Fixture.application(in: organisation)
                try await store.insertApplication(application, audit: Fixture.audit())
                try await store.deleteApplication(id: application.id, audit: Fixture.audit())
                #expect(try await store.application(id: application.id) == nil)
                await #expect(throws: DomainError.self) { try await store.deleteApplication(id: application.id, audit: Fixture.audit()) }
                await #expect(throws: DomainError.self) { try await store.updateApplication(application, audit: Fixture.audit()) }
            }
        }
    }
}
