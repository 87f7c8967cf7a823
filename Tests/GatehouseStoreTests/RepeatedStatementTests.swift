import Foundation
import GatehouseCore
@testable import GatehouseStore
import Testing

/// PostgreSQL prepares a repeated statement once per connection from its fixed text, then sends
/// only each call's binds: the text must not depend on the values bound.
@Suite struct RepeatedStatementTests {
    @Test func theRotationsTextIsTheSameWhateverItBinds() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let statement = SQLStore.rotateStatement(
            hash: "4f2a", applicationId: "app", now: now,
            successor: RefreshTokenSuccessor(id: "next", tokenHash: "9c1e", createdAt: now, expiresAt: now.addingTimeInterval(3600)),
            dialect: .postgres
        )
        #expect(RefreshTokenRotation.textForPostgres(statement) == RefreshTokenRotation.postgresText)
        #expect(RefreshTokenRotation.postgresText.contains("$1"))
        #expect(!RefreshTokenRotation.postgresText.contains("4f2a"))
    }
}
