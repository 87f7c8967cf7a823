import Crypto
import CryptoExtras
import Dispatch
import Foundation

/// Hashes and verifies low-entropy secrets chosen by people (user passwords, consumer pass codes)
/// with PBKDF2-HMAC-SHA256.
///
/// Unlike ``SecretHasher`` (a keyed hash, right for generated 256-bit secrets), a password can be
/// guessed from a dictionary, so each guess must be expensive: 600,000 rounds by default, as
/// OWASP's Password Storage Cheat Sheet (2023) recommends for PBKDF2-HMAC-SHA256. Hashes are
/// stored PHC-style, `$pbkdf2-sha256$i=600000$<salt>$<hash>` (standard base64 without padding), and
/// verification reads the rounds from the stored string, so the default can rise later without
/// invalidating existing hashes.
///
/// Each derivation costs ~100 ms of CPU, so they are bounded: at most `maxConcurrent` run at once,
/// at most `maxWaiting` callers queue behind them, and any further caller gets ``Overloaded`` at
/// once. Each derivation runs on a thread of its own at the lowest CPU priority (nice 19), never
/// on Swift's cooperative pool or the event loops: a flood of password requests uses the CPU
/// that checks and token requests leave idle, and cannot raise their latency.
///
/// A verification with nothing to verify against (an unknown user, a malformed stored hash, an
/// over-long password) never waits in that queue: it takes the ``UnknownNameLane`` instead, so a
/// flood of made-up names cannot make real users' checks wait or fail (docs/throttling.md).
public struct PasswordHasher: Sendable {
    /// Thrown when `maxWaiting` callers already wait for a derivation slot.
    public struct Overloaded: Error {}

    /// Longer passwords are refused: no one types them, and they only cost work.
    public static let maxPasswordBytes = 1024
    static let algorithm = "pbkdf2-sha256"
    static let saltByteCount = 16
    static let hashByteCount = 32
    /// Stored strings naming more rounds than this are treated as malformed (a corrupt or hostile
    /// row must not pin a CPU for minutes).
    static let maxStoredRounds = 10_000_000

    /// The rounds of new hashes.
    public let rounds: Int
    let gate: Gate
    let unknownNames = UnknownNameLane()
    /// A well-formed hash of no password, with the configured cost: verifying against it takes as
    /// long as a real verification and never succeeds.
    let dummy: StoredHash

    public init(
        rounds: Int = 600_000,
        maxConcurrent: Int = max(1, ProcessInfo.processInfo.activeProcessorCount - 1),
        maxWaiting: Int = 64
    ) {
        precondition(rounds >= 1, "PBKDF2 needs at least one round")
        self.rounds = rounds
        self.gate = Gate(maxConcurrent: max(1, maxConcurrent), maxWaiting: max(0, maxWaiting))
        self.dummy = StoredHash(rounds: rounds, salt: Self.randomBytes(Self.saltByteCount), hash: Self.randomBytes(Self.hashByteCount))
    }

    /// A new PHC-style hash of `password` with a fresh random salt.
    ///
    /// Throws ``ValidationError`` (field `password`) for a password over 1024 UTF-8 bytes, and
    /// ``Overloaded`` when too many derivations are already waiting.
    public func hash(_ password: String) async throws -> String {
        let bytes = Array(password.utf8)
        guard bytes.count <= Self.maxPasswordBytes else {
            throw ValidationError(field: "password", message: "must be at most \(Self.maxPasswordBytes) bytes")
        }
        let salt = Self.randomBytes(Self.saltByteCount)
        let derived = try await derive(bytes, salt: salt, rounds: rounds, outputByteCount: Self.hashByteCount)
        return StoredHash(rounds: rounds, salt: salt, hash: derived).encoded
    }

    /// Whether `password` matches `storedHash`, compared in constant time.
    ///
    /// `storedHash == nil` (unknown user) takes as long as a real verification and returns false,
    /// so an unknown user and a wrong password take the same time. A malformed stored string or an
    /// over-long password do the same. That work goes through ``UnknownNameLane``, not the queue
    /// of real checks.
    public func verify(_ password: String, against storedHash: String?) async throws -> Bool {
        var bytes = Array(password.utf8)
        let tooLong = bytes.count > Self.maxPasswordBytes
        if tooLong { bytes = Array(bytes.prefix(Self.maxPasswordBytes)) }
        guard !tooLong, let stored = storedHash.flatMap(StoredHash.init(parsing:)) else {
            try await unknownNames.verifyNothing { try await compute(bytes, salt: dummy.salt, rounds: dummy.rounds, outputByteCount: dummy.hash.count, idle: true) }
            return false
        }
        let started = ContinuousClock.now
        let derived = try await derive(bytes, salt: stored.salt, rounds: stored.rounds, outputByteCount: stored.hash.count)
        unknownNames.record(ContinuousClock.now - started)
        return Self.constantTimeEquals(derived, stored.hash)
    }

    // MARK: Derivation

    /// Runs one PBKDF2 derivation on a low-priority thread once the gate admits it.
    private func derive(_ password: [UInt8], salt: [UInt8], rounds: Int, outputByteCount: Int) async throws -> [UInt8] {
        try await gate.enter()
        do {
            let derived = try await compute(password, salt: salt, rounds: rounds, outputByteCount: outputByteCount, idle: false)
            await gate.leave()
            return derived
        } catch {
            await gate.leave()
            throw error
        }
    }

    /// One PBKDF2 derivation on a thread of its own at nice 19, or at `SCHED_IDLE` when `idle`.
    func compute(_ password: [UInt8], salt: [UInt8], rounds: Int, outputByteCount: Int, idle: Bool) async throws -> [UInt8] {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[UInt8], any Error>) in
            LowPriorityThread.run(idle: idle) {
                continuation.resume(with: Result {
                    let key = try KDF.Insecure.PBKDF2.deriveKey(
                        from: password, salt: salt, using: .sha256, outputByteCount: outputByteCount, unsafeUncheckedRounds: rounds
                    )
                    return key.withUnsafeBytes { Array($0) }
                })
            }
        }
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        SymmetricKey(size: SymmetricKeySize(bitCount: count * 8)).withUnsafeBytes { Array($0) }
    }

    static func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }

    // MARK: Stored format

    /// `$pbkdf2-sha256$i=<rounds>$<salt>$<hash>`, base64 without padding (PHC string format).
    struct StoredHash: Equatable {
        var rounds: Int
        var salt: [UInt8]
        var hash: [UInt8]

        init(rounds: Int, salt: [UInt8], hash: [UInt8]) {
            self.rounds = rounds
            self.salt = salt
            self.hash = hash
        }

        /// Nil for anything but a well-formed string with sane parameters.
        init?(parsing text: String) {
            guard text.utf8.count <= 512 else { return nil }
            let parts = text.split(separator: "$", omittingEmptySubsequences: false)
            guard parts.count == 5, parts[0].isEmpty, parts[1] == PasswordHasher.algorithm, parts[2].hasPrefix("i=") else { return nil }
            let digits = parts[2].dropFirst(2)
            guard !digits.isEmpty, digits.count <= 9, digits.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
                  let rounds = Int(digits), (1...PasswordHasher.maxStoredRounds).contains(rounds),
                  let salt = Self.decode(parts[3]), (8...64).contains(salt.count),
                  let hash = Self.decode(parts[4]), (16...64).contains(hash.count)
            else { return nil }
            self.init(rounds: rounds, salt: salt, hash: hash)
        }

        var encoded: String {
            "$\(PasswordHasher.algorithm)$i=\(rounds)$\(Self.encode(salt))$\(Self.encode(hash))"
        }

        static func encode(_ bytes: [UInt8]) -> String {
            var text = Data(bytes).base64EncodedString()
            while text.hasSuffix("=") { text.removeLast() }
            return text
        }

        static func decode(_ text: Substring) -> [UInt8]? {
            guard !text.isEmpty, text.count % 4 != 1, !text.contains("=") else { return nil }
            let padded = String(text) + String(repeating: "=", count: (4 - text.count % 4) % 4)
            guard let data = Data(base64Encoded: padded) else { return nil }
            return Array(data)
        }
    }
}
