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

    /// The schoolbook algorithm, one byte and one digit at a time: the reference for the limb one.
    static func referenceBase62(_ bytes: [UInt8], width: Int) -> String {
        var number = bytes
        var digits = [UInt8]()
        while digits.count < width {
            var remainder = 0
            for index in number.indices {
                let accumulator = remainder << 8 | Int(number[index])
                number[index] = UInt8(accumulator / 62)
                remainder = accumulator % 62
            }
            digits.append(Base62.alphabet[remainder])
        }
        return String(decoding: digits.reversed(), as: UTF8.self)
    }

    @Test(arguments: [1, 2, 3, 4, 5, 7, 8, 9, 16, 31, 32, 33])
    func base62AgreesWithTheSchoolbookAlgorithm(_ byteCount: Int) {
        var generator = SystemRandomNumberGenerator()
        let width = Base62.width(forByteCount: byteCount)
        let edges: [[UInt8]] = [Array(repeating: 0, count: byteCount), Array(repeating: 0xFF, count: byteCount), [1] + Array(repeating: 0, count: byteCount - 1)]
        for bytes in edges + (0..<50).map({ _ in (0..<byteCount).map { _ in UInt8.random(in: 0...255, using: &generator) } }) {
            #expect(Base62.encode(bytes, width: width) == Self.referenceBase62(bytes, width: width), "\(bytes)")
            #expect(Base62.encode(bytes, width: width + 2) == Self.referenceBase62(bytes, width: width + 2), "\(bytes)")
        }
    }

    @Test func base62DecodesWhatItEncodes() {
        for value: UInt32 in [0, 1, 61, 62, 0xCBF4_3926, .max] {
            let bytes = [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
            #expect(Base62.decode(Base62.encode(bytes, width: 6).utf8) == UInt64(value))
        }
        #expect(Base62.decode("zz-".utf8) == nil)
        #expect(Base62.decode(String(repeating: "z", count: 11).utf8) == nil)  // over 64 bits
    }
}
