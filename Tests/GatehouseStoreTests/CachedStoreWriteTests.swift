import Foundation
import GatehouseCore
@testable import GatehouseStore
import Testing

extension StoreConformance {
    /// Every write ``CachedStore`` intercepts drops the cached reads it may have made stale: the
    /// pass-through that ``StoreWrapper`` gives every feature must not have taken its place.
    @Suite struct CachedStoreWriteTests {
        /// A write through the cache, to a row other than the cached ones.
        enum Write: String, CaseIterable, Sendable {
            case insertApplication, updateApplication, deleteApplication
            case insertUser, updateUser, deleteUser
            case updateOrganisation, deleteOrganisation

            var dropsApplications: Bool { ![.insertUser, .updateUser, .deleteUser].contains(self) }
            var dropsUsers: Bool { ![.insertApplication, .updateApplication, .deleteApplication].contains(self) }
        }

        /// Rows the cache does not hold, for the writes to act on.
        struct Others {
            let organisation: Organisation
            let application: Application
            let user: User
        }

        @Test(arguments: StoreBackend.all, Write.allCases)
        func aWriteThroughTheCacheDropsWhatItMayHaveMadeStale(_ backend: StoreBackend, _ write: Write) async throws {
            try await backend.withStore { base in
                let cached = CachedStore(base, trust: .unconditional)
                let organisation = Fixture.organisation()
                try await base.insertOrganisation(organisation, audit: Fixture.audit())
                var application = Fixture.application(in: organisation)
                try await base.insertApplication(application, audit: Fixture.audit())
                var user = Fixture.user(in: organisation)
                try await base.insertUser(user, audit: Fixture.audit())
                let others = try await Self.insertOthers(into: base, beside: organisation)

                #expect(try await cached.application(id: application.id)?.name == "Shop")
                #expect(try await cached.user(id: user.id)?.disabled == false)
                // Changed behind the cache's back: it still answers what it read.
                application.name = "Renamed"
                try await base.updateApplication(application, audit: Fixture.audit())
                user.disabled = true
                try await base.updateUser(user, audit: Fixture.audit())
                #expect(try await cached.application(id: application.id)?.name == "Shop")
                #expect(try await cached.user(id: user.id)?.disabled == false)

                try await Self.perform(write, on: cached, others: others, organisation: organisation)
                let applicationName = try await cached.application(id: application.id)?.name
                let userDisabled = try await cached.user(id: user.id)?.disabled
                #expect(applicationName == (write.dropsApplications ? "Renamed" : "Shop"))
                #expect(userDisabled == write.dropsUsers)
            }
        }

        static func insertOthers(into base: SQLStore, beside organisation: Organisation) async throws -> Others {
            let other = Fixture.organisation()
            try await base.insertOrganisation(other, audit: Fixture.audit())
            let application = Fixture.application(in: organisation, name: "Other")
            try await base.insertApplication(application, audit: Fixture.audit())
            let user = Fixture.user(in: organisation, username: "bob")
            try await base.insertUser(user, audit: Fixture.audit())
            return Others(organisation: other, application: application, user: user)
        }

        static func perform(_ write: Write, on cached: CachedStore, others: Others, organisation: Organisation) async throws {
            switch write {
            case .insertApplication:
                try await cached.insertApplication(Fixture.application(in: organisation, name: "New"), audit: Fixture.audit())
            case .updateApplication:
                var application = others.application
                application.name = "Other, renamed"
                try await cached.updateApplication(application, audit: Fixture.audit())
            case .deleteApplication:
                try await cached.deleteApplication(id: others.application.id, audit: Fixture.audit())
            case .insertUser:
                try await cached.insertUser(Fixture.user(in: organisation, username: "carol"), audit: Fixture.audit())
            case .updateUser:
                var user = others.user
                user.disabled = true
                try await cached.updateUser(user, audit: Fixture.audit())
            case .deleteUser:
                try await cached.deleteUser(id: others.user.id, audit: Fixture.audit())
            case .updateOrganisation:
                var organisation = others.organisation
                organisation.name += "-renamed"
                try await cached.updateOrganisation(organisation, audit: Fixture.audit())
            case .deleteOrganisation:
                try await cached.deleteOrganisation(id: others.organisation.id, audit: Fixture.audit())
            }
        }
    }
}
