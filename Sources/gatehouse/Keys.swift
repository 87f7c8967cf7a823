import ArgumentParser
import Foundation
import GatehouseCore

/// `gatehouse keys list|rotate`: signing keys, on the database directly.
struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Signing keys.", subcommands: [List.self, Rotate.self])

    struct KeyLine: Encodable {
        var kid: String
        var algorithm: SigningAlgorithm
        var state: SigningKeyState
        var createdAt: Date
        var retireAfter: Date?

        init(_ key: StoredSigningKey) {
            (kid, algorithm, state, createdAt, retireAfter) = (key.kid, key.algorithm, key.state, key.createdAt, key.retireAfter)
        }

        var human: String { "\(kid)  \(algorithm.rawValue)  \(state.rawValue)\(retireAfter.map { "  until \($0)" } ?? "")" }
    }

    struct List: ManagementCommand {
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run(_ management: Management) async throws {
            let keys = try await management.store.allSigningKeys().map(KeyLine.init)
            try output.print(["items": keys]) { keys.map(\.human).joined(separator: "\n") }
        }
    }

    struct Rotate: ManagementCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a new key active now; the old one stays in JWKS until its tokens have expired."
        )
        @Option(help: "ES256, RS256 or EdDSA.") var algorithm: SigningAlgorithm = .es256
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run(_ management: Management) async throws {
            let key = try await SigningKeyRing.rotate(
                store: management.store, masterKey: management.masterKey, to: algorithm, by: .commandLine, now: Date()
            )
            let stored = try await management.store.allSigningKeys().first { $0.kid == key.kid }
            try output.print(stored.map(KeyLine.init)) { "active signing key: \(key.kid) (\(key.algorithm.rawValue))" }
        }
    }
}

extension SigningAlgorithm: ExpressibleByArgument {}
