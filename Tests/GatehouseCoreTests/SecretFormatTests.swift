@testable import GatehouseCore
import Testing

@Suite struct SecretFormatTests {
    @Test(arguments: SecretKind.allCases)
    func generatedSecretsAreWellFormedAndCarryTheirPrefix(_ kind: SecretKind) {
        let secret = SecretFormat.generate(kind)
        #expect(secret.hasPrefix(kind.prefix))
        #expect(secret.count == kind.prefix.count + 43 + 6)
        #expect(SecretFormat.isWellFormed(secret, as: kind))
        #expect(SecretFormat.kind(of: secret) == kind)
    }

    @Test func twoGeneratedSecretsDiffer() {
        let secrets = Set((0..<100).map { _ in SecretFormat.generate(.clientSecret) })
        #expect(secrets.count == 100)
    }

    @Test func everySingleCharacterTypoIsRejected() {
        let secret = Array(SecretFormat.generate(.apiKey))
        let prefixLength = SecretKind.apiKey.prefix.count
        for index in prefixLength..<secret.count {
            var typo = secret
            typo[index] = typo[index] == "a" ? "b" : "a"
            #expect(!SecretFormat.isWellFormed(String(typo), as: .apiKey), "typo at \(index) accepted")
        }
    }

    @Test func aSecretOfAnotherKindIsRejected() {
        let adminKey = SecretFormat.generate(.adminKey)
        #expect(!SecretFormat.isWellFormed(adminKey, as: .clientSecret))
        let relabelled = SecretKind.clientSecret.prefix + adminKey.dropFirst(SecretKind.adminKey.prefix.count)
        #expect(!SecretFormat.isWellFormed(relabelled, as: .clientSecret))
    }

    @Test(arguments: ["", "ghcs_", "ghcs_short", "not a secret at all", String(repeating: "x", count: 10_000), "ghcs_" + String(repeating: "é", count: 49)])
    func malformedStringsAreRejected(_ candidate: String) {
        #expect(SecretFormat.kind(of: candidate) == nil)
    }

    @Test func crc32MatchesTheStandardCheckValue() {
        #expect(CRC32.checksum("123456789".utf8) == 0xCBF4_3926)
    }

    @Test func base62EncodesBigEndianNumbersToAFixedWidth() {
        #expect(Base62.encode([0xFF], width: 2) == "47")
        #expect(Base62.encode([0, 0], width: 3) == "000")
        #expect(Base62.width(forByteCount: 32) == 43)
        #expect(Base62.encode(Array(repeating: 0xFF, count: 32), width: 43).count == 43)
    }
}
