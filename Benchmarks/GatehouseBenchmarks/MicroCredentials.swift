import Crypto
import Foundation
import GatehouseCore

/// Generated secrets (API keys, client secrets) and the password KDF.
enum MicroCredentials {
    static func run(_ runner: MicroRunner, kdfRuns: Int) async throws {
        let hasher = SecretHasher(pepper: SymmetricKey(size: .bits256))
        let clientSecret = SecretFormat.generate(.clientSecret)
        let apiKey = SecretFormat.generate(.apiKey)
        let storedHash = hasher.hash(clientSecret)
        let application = MicroAccess.application(secretHash: storedHash)
        guard application.accepts(secret: clientSecret, hasher: hasher) else {
            throw BenchFailure("the application does not accept its own secret")
        }

        runner.run("secret.generate ghak_") {
            SecretFormat.generate(.apiKey).utf8.count
        }
        runner.run("secret.isWellFormed ghcs_") {
            SecretFormat.isWellFormed(clientSecret, as: .clientSecret) ? 1 : 0
        }
        runner.run("secret.isWellFormed ghak_ as ghcs_ (reject)") {
            SecretFormat.isWellFormed(apiKey, as: .clientSecret) ? 1 : 0
        }
        runner.run("secret.hash HMAC-SHA256 + hex") {
            hasher.hash(clientSecret).utf8.count
        }
        let pepper = SymmetricKey(size: .bits256)
        runner.run("hmac-sha256 alone, no hex (reference)") {
            HMAC<SHA256>.authenticationCode(for: Data(clientSecret.utf8), using: pepper).byteCount
        }
        runner.run("secret.verify (hash + constant-time ==)") {
            hasher.verify(clientSecret, against: storedHash) ? 1 : 0
        }
        runner.run("application.accepts(secret:hasher:)") {
            application.accepts(secret: clientSecret, hasher: hasher) ? 1 : 0
        }

        runner.run("uuid v4, RandomUUID.make (jti, refresh ids)") {
            RandomUUID.make().utf8.count
        }
        runner.run("uuid v4 lowercased, Foundation (reference)") {
            UUID().uuidString.lowercased().utf8.count
        }

        // One derivation at a time: the figure is the cost of one login, not the server's capacity.
        let passwords = PasswordHasher(maxConcurrent: 1)
        let name = "password.verify PBKDF2-SHA256 \(passwords.rounds)"
        guard runner.wants(name) else { return }
        let passwordHash = try await passwords.hash("correct horse battery staple")
        try await runner.run(name, count: kdfRuns) {
            try await passwords.verify("correct horse battery staple", against: passwordHash) ? 1 : 0
        }
    }
}
