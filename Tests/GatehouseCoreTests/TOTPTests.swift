import Foundation
import GatehouseCore
import Testing

@Suite("TOTP (RFC 6238) and HOTP (RFC 4226)")
struct TOTPTests {
    /// RFC 4226 Appendix D and RFC 6238 Appendix B: the secret is the ASCII string "12345678901234567890".
    static let rfcSecret = Array("12345678901234567890".utf8)

    @Test("HOTP gives RFC 4226 Appendix D's ten codes for counters 0 to 9")
    func hotpVectors() {
        let expected = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"]
        let totp = TOTP(secret: Self.rfcSecret)
        #expect((0..<10).map { totp.code(forStep: Int64($0)) } == expected)
    }

    @Test("TOTP gives RFC 6238 Appendix B's SHA-1 codes (8 digits) at its six times", arguments: [
        (59.0, "94287082"), (1_111_111_109, "07081804"), (1_111_111_111, "14050471"),
        (1_234_567_890, "89005924"), (2_000_000_000, "69279037"), (20_000_000_000, "65353130"),
    ])
    func totpVectors(seconds: Double, code: String) {
        let totp = TOTP(secret: Self.rfcSecret, digits: 8)
        #expect(totp.code(at: Date(timeIntervalSince1970: seconds)) == code)
    }

    @Test("A code matches within one step either side, and not beyond")
    func window() {
        let totp = TOTP(secret: Self.rfcSecret)
        let now = Date(timeIntervalSince1970: 1_234_567_890)
        let current = totp.step(at: now)
        #expect(totp.matchingStep(of: totp.code(at: now), at: now) == current)
        #expect(totp.matchingStep(of: totp.code(forStep: current - 1), at: now) == current - 1)
        #expect(totp.matchingStep(of: totp.code(forStep: current + 1), at: now) == current + 1)
        #expect(totp.matchingStep(of: totp.code(forStep: current - 2), at: now) == nil)
        #expect(totp.matchingStep(of: totp.code(forStep: current + 2), at: now, window: 1) == nil)
    }

    @Test("Malformed submissions match nothing", arguments: ["", "12345", "1234567", "12345a", " 123456", "１２３４５６", "-12345"])
    func malformed(_ submitted: String) {
        let totp = TOTP(secret: Self.rfcSecret)
        let now = Date(timeIntervalSince1970: 1_234_567_890)
        #expect(totp.matchingStep(of: submitted, at: now, window: 1000) == nil)
    }

    @Test("The secret shows as unpadded base32 (RFC 4648 §6) in a percent-encoded otpauth URI")
    func provisioning() {
        let totp = TOTP(secret: Self.rfcSecret)
        #expect(totp.base32Secret == "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
        #expect(TOTP(secret: Array("f".utf8)).base32Secret == "MY")
        #expect(totp.provisioningURI(issuer: "Acme Gatehouse", account: "ada@acme.example") ==
            "otpauth://totp/Acme%20Gatehouse:ada%40acme.example?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
            + "&issuer=Acme%20Gatehouse&algorithm=SHA1&digits=6&period=30")
    }

    @Test("Generated secrets are 160 bits and differ")
    func generated() {
        let first = TOTP.generateSecret(), second = TOTP.generateSecret()
        #expect(first.count == 20 && second.count == 20 && first != second)
    }
}
