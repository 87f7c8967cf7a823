import Foundation
import GatehouseCore
import SQLKit

extension SQLStore {
    public func signingKeys() async throws -> [StoredSigningKey] {
        try await executor.read { database in
            try await database.raw(
                "SELECT * FROM signing_keys WHERE state <> \(bind: SigningKeyState.retired.rawValue) ORDER BY created_at DESC, kid"
            ).all().map(Self.signingKey(from:))
        }
    }

    public func allSigningKeys() async throws -> [StoredSigningKey] {
        try await executor.read { database in
            try await database.raw("SELECT * FROM signing_keys ORDER BY created_at DESC, kid").all().map(Self.signingKey(from:))
        }
    }

    public func rotateSigningKey(to key: StoredSigningKey, retireAfter: Date, audit: AuditEvent) async throws {
        try await change(audit: audit, conflict: "another signing key was activated at the same time") { database in
            try await database.raw("""
                UPDATE signing_keys SET state = \(bind: SigningKeyState.published.rawValue), retire_after = \(bind: retireAfter.epochMilliseconds)
                WHERE state = \(bind: SigningKeyState.active.rawValue)
                """).run()
            try await database.raw("""
                INSERT INTO signing_keys (kid, algorithm, state, private_key, created_at, retire_after)
                VALUES (\(bind: key.kid), \(bind: key.algorithm.rawValue), \(bind: SigningKeyState.active.rawValue),
                        \(bind: key.privateKey), \(bind: key.createdAt.epochMilliseconds), \(bind: Int?.none))
                """).run()
        }
    }

    static func signingKey(from row: any SQLRow) throws -> StoredSigningKey {
        let algorithm = try row.decode(column: "algorithm", as: String.self)
        let state = try row.decode(column: "state", as: String.self)
        guard let algorithm = SigningAlgorithm(rawValue: algorithm), let state = SigningKeyState(rawValue: state) else {
            throw SQLStoreError.corruptRow("signing_keys")
        }
        return StoredSigningKey(
            kid: try row.decode(column: "kid", as: String.self),
            algorithm: algorithm,
            state: state,
            privateKey: try row.decode(column: "private_key", as: String.self),
            createdAt: try row.date("created_at"),
            retireAfter: try row.decode(column: "retire_after", as: Int?.self).map(Date.init(epochMilliseconds:))
        )
    }
}
