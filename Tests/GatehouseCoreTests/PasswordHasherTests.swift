import Crypto
import Foundation
@testable import GatehouseCore
import Testing

@Suite struct PasswordHasherTests {
    /// 1000 rounds (below CryptoExtras' checked minimum, allowed through the unchecked path) keeps
    /// the suite fast; the format and logic are the same at any cost.
    let hasher = PasswordHasher(rounds: 1000)

    @Test func aHashVerifiesItsPasswordAndNoOther() async throws {
        let stored = try await hasher.hash("correct horse battery staple")
        #expect(try await hasher.verify("correct horse battery staple", against: stored))
        #expect(try await !hasher.verify("correct horse battery stapler", against: stored))
        #expect(try await !hasher.verify("Correct horse battery staple", against: stored))
        #expect(try await !hasher.verify("", against: stored))
    }

    @Test func theStoredStringIsPHCStyleWithAFreshSaltEachTime() async throws {
        let first = try await hasher.hash("password1")
        let second = try await hasher.hash("password1")
        #expect(first != second)
        let parts = first.split(separator: "$", omittingEmptySubsequences: false)
        #expect(parts.count == 5)
        #expect(parts[0] == "")
        #expect(parts[1] == "pbkdf2-sha256")
        #expect(parts[2] == "i=1000")
        #expect(!parts[3].contains("=") && !parts[4].contains("="))
        #expect(Data(base64Encoded: String(parts[3]) + "==")?.count == 16)
        #expect(Data(base64Encoded: String(parts[4]) + "=")?.count == 32)
        #expect(parts[3].count == 22 && parts[4].count == 43)
    }

    @Test func theDefaultCostIs600000Rounds() {
        #expect(PasswordHasher().rounds == 600_000)
    }

    @Test func verificationReadsTheRoundsFromTheStoredString() async throws {
        let stored = try await PasswordHasher(rounds: 1500).hash("password1")
        #expect(stored.contains("$i=1500$"))
        #expect(try await hasher.verify("password1", against: stored))
    }

    /// PBKDF2 written out from RFC 8018 §5.2 for one output block (32 bytes of SHA-256).
    static func referencePBKDF2(password: [UInt8], salt: [UInt8], rounds: Int) -> [UInt8] {
        let key = SymmetricKey(data: password)
        var u = Array(HMAC<SHA256>.authenticationCode(for: salt + [0, 0, 0, 1], using: key))
        var t = u
        for _ in 1..<rounds {
            u = Array(HMAC<SHA256>.authenticationCode(for: u, using: key))
            for index in t.indices { t[index] ^= u[index] }
        }
        return t
    }

    @Test func aHashFromAnIndependentPBKDF2Verifies() async throws {
        let salt = Array("saltsaltsaltsalt".utf8)
        let derived = Self.referencePBKDF2(password: Array("s3cret-pass".utf8), salt: salt, rounds: 1234)
        func b64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString().replacingOccurrences(of: "=", with: "") }
        let stored = "$pbkdf2-sha256$i=1234$\(b64(salt))$\(b64(derived))"
        #expect(try await hasher.verify("s3cret-pass", against: stored))
        #expect(try await !hasher.verify("s3cret-pasS", against: stored))
    }

    @Test func theHashIsPBKDF2OfTheStoredSalt() async throws {
        let stored = try await hasher.hash("pässword")
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
        let salt = try #require(Data(base64Encoded: String(parts[3]) + "=="))
        let hash = try #require(Data(base64Encoded: String(parts[4]) + "="))
        #expect(Array(hash) == Self.referencePBKDF2(password: Array("pässword".utf8), salt: Array(salt), rounds: 1000))
    }

    @Test func anUnknownUserNeverVerifies() async throws {
        #expect(try await !hasher.verify("anything at all", against: nil))
        #expect(try await !hasher.verify("", against: nil))
    }

    @Test(arguments: [
        "", "$", "$$$$", "plain", "$pbkdf2-sha256$i=1000$", "$pbkdf2-sha1$i=1000$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAA",
        "$pbkdf2-sha256$i=abc$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAA",
        "$pbkdf2-sha256$i=0$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAA",
        "$pbkdf2-sha256$i=-5$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAA",
        "$pbkdf2-sha256$i=99999999999999999999$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAA",
        "$pbkdf2-sha256$i=999999999$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAA",
        "$pbkdf2-sha256$i=1000$$AAAAAAAAAAAAAAAAAAAAAA",
        "$pbkdf2-sha256$i=1000$c2FsdHNhbHRzYWx0c2FsdA$",
        "$pbkdf2-sha256$i=1000$!!!!$AAAAAAAAAAAAAAAAAAAAAA",
        "$pbkdf2-sha256$i=1000$c2FsdHNhbHRzYWx0c2FsdA$AAAA",
        "$pbkdf2-sha256$i=1000$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAA$extra",
        "$pbkdf2-sha256$r=1000$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAA",
        "pbkdf2-sha256$i=1000$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAA$",
        String(repeating: "$", count: 10_000),
    ])
    func aMalformedStoredHashVerifiesNothingAndDoesNotCrash(_ stored: String) async throws {
        #expect(try await !hasher.verify("password1", against: stored))
    }

    @Test func aPasswordOver1024BytesIsRefusedForHashingAndNeverVerifies() async throws {
        let long = String(repeating: "a", count: 1025)
        await #expect(throws: ValidationError.self) { try await hasher.hash(long) }
        do {
            _ = try await hasher.hash(long)
        } catch let error as ValidationError {
            #expect(error.field == "password")
        }
        let exactly = String(repeating: "a", count: 1024)
        let stored = try await hasher.hash(exactly)
        #expect(try await hasher.verify(exactly, against: stored))
        #expect(try await !hasher.verify(long, against: stored))
        // Multi-byte characters count as their UTF-8 bytes: 342 × 3 bytes = 1026.
        await #expect(throws: ValidationError.self) { try await hasher.hash(String(repeating: "€", count: 342)) }
    }

    @Test func aCallerBeyondTheWaitingLimitIsRefusedAtOnce() async throws {
        let hasher = PasswordHasher(rounds: 1000, maxConcurrent: 1, maxWaiting: 0)
        // Hold the only slot, as a running derivation would, so the outcome does not depend on timing.
        try await hasher.gate.enter()
        await #expect(throws: PasswordHasher.Overloaded.self) { try await hasher.hash("password1") }
        await #expect(throws: PasswordHasher.Overloaded.self) {
            try await hasher.verify("password1", against: "$pbkdf2-sha256$i=1000$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA")
        }
        // An unknown user does not wait for (nor in) the real checks' queue.
        #expect(try await !hasher.verify("password1", against: nil))
        await hasher.gate.leave()
        let stored = try await hasher.hash("password1")
        #expect(try await hasher.verify("password1", against: stored))
        #expect(await hasher.gate.running == 0)
    }

    @Test func twoConcurrentCallsWithOneSlotAndNoQueueRefuseOne() async throws {
        // Slow enough (a few ms per derivation) that the calls overlap.
        let hasher = PasswordHasher(rounds: 200_000, maxConcurrent: 1, maxWaiting: 0)
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<2 {
                group.addTask {
                    do {
                        _ = try await hasher.hash("password1")
                        return true
                    } catch {
                        #expect(error is PasswordHasher.Overloaded)
                        return false
                    }
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 1)
        #expect(outcomes.filter { !$0 }.count == 1)
        #expect(await hasher.gate.running == 0)
    }

    @Test func waitingCallersAreServedInTurnWithinTheConcurrencyLimit() async throws {
        let hasher = PasswordHasher(rounds: 1000, maxConcurrent: 2, maxWaiting: 64)
        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<20 {
                group.addTask {
                    let stored = try await hasher.hash("password\(index)")
                    return try await hasher.verify("password\(index)", against: stored)
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.count == 20 && results.allSatisfy { $0 })
        #expect(await hasher.gate.running == 0)
        #expect(await hasher.gate.waiting == 0)
    }

    @Test func anUnknownUserTakesAboutAsLongAsAWrongPassword() async throws {
        let hasher = PasswordHasher(rounds: 100_000)
        #expect(hasher.dummy.rounds == 100_000 && hasher.dummy.hash.count == 32 && hasher.dummy.salt.count == 16)
        let stored = try await hasher.hash("password1")
        let clock = ContinuousClock()
        var wrong = Duration.seconds(3600)
        var unknown = Duration.seconds(3600)
        for _ in 0..<3 {
            wrong = min(wrong, try await clock.measure { _ = try await hasher.verify("password2", against: stored) })
            unknown = min(unknown, try await clock.measure { _ = try await hasher.verify("password2", against: nil) })
        }
        // Same rounds either way. Derivations run at the lowest CPU priority, so a busy machine (the
        // suite runs tests in parallel) stretches single runs: compare the fastest of each, loosely.
        #expect(unknown > wrong / 5 && unknown < wrong * 5, "wrong \(wrong), unknown \(unknown)")
    }

    @Test func aFloodOfUnknownNamesNeverMakesARealCheckWaitOrFail() async throws {
        // One slot and no queue: before, one unknown name in flight refused every real check.
        let hasher = PasswordHasher(rounds: 100_000, maxConcurrent: 1, maxWaiting: 0)
        let stored = try await hasher.hash("password1")
        #expect(try await hasher.verify("password1", against: stored), "seeds the time a verification takes")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<50 {
                group.addTask {
                    let verified = try await hasher.verify("password1", against: nil)
                    #expect(!verified)
                }
            }
            try await Task.sleep(for: .milliseconds(5))
            for _ in 0..<3 {
                #expect(try await hasher.verify("password1", against: stored))
            }
            try await group.waitForAll()
        }
        #expect(await hasher.gate.running == 0)
    }

    @Test func anUnknownNameWhileTheLaneIsBusyTakesAsLongAsAVerificationWithoutComputing() async throws {
        let hasher = PasswordHasher(rounds: 1000)
        hasher.unknownNames.record(.milliseconds(300))
        #expect(await hasher.unknownNames.gate.tryEnter(), "hold the lane, as a derivation in progress would")
        let clock = ContinuousClock()
        var verified = true
        let elapsed = try await clock.measure { verified = try await hasher.verify("password1", against: nil) }
        #expect(!verified)
        // At least the typical time, less 10 %; a busy test run may stretch the sleep, never shorten it.
        #expect(elapsed >= .milliseconds(270), "\(elapsed)")
        #expect(await hasher.unknownNames.gate.running == 1, "nothing else entered the lane")
        await hasher.unknownNames.gate.leave()
    }
}

@Suite("Low-priority threads for KDF work")
struct LowPriorityThreadTests {
    @Test("Work that only hides whether a name exists runs at SCHED_IDLE")
    func idleWorkRunsBelowNice19() async throws {
        let seen = await withCheckedContinuation { (continuation: CheckedContinuation<Int32?, Never>) in
            LowPriorityThread.run(idle: true) { continuation.resume(returning: LowPriorityThread.currentPolicy()) }
        }
        #if os(Linux)
        #expect(seen == LowPriorityThread.schedIdle)
        #expect(LowPriorityThread.currentPolicy() == 0, "the caller stays SCHED_OTHER")
        #else
        _ = seen
        #endif
    }

    @Test("Work runs on another thread at nice 19 and leaves the caller's priority alone")
    func workRunsAtTheLowestPriority() async throws {
        let before = LowPriorityThread.currentNiceValue()
        let seen = await withCheckedContinuation { (continuation: CheckedContinuation<Int32?, Never>) in
            LowPriorityThread.run { continuation.resume(returning: LowPriorityThread.currentNiceValue()) }
        }
        #if os(Linux)
        #expect(seen == LowPriorityThread.niceValue)
        #expect(LowPriorityThread.currentNiceValue() == before)
        #else
        _ = (seen, before)
        #endif
    }
}
