import Crypto
import Foundation
@testable import GatehouseCore
import Testing

@Suite struct SecretHasherTests {
    let hasher = SecretHasher(pepper: SymmetricKey(size: .bits256))

    @Test func hashingIsDeterministicAndVerifies() {
        let secret = SecretFormat.generate(.clientSecret)
        #expect(hasher.hash(secret) == hasher.hash(secret))
        #expect(hasher.hash(secret).count == 64)
        #expect(hasher.verify(secret, against: hasher.hash(secret)))
        #expect(!hasher.verify(secret + "x", against: hasher.hash(secret)))
    }

    @Test func theHashDependsOnThePepper() {
        let secret = SecretFormat.generate(.clientSecret)
        let other = SecretHasher(pepper: SymmetricKey(size: .bits256))
        #expect(hasher.hash(secret) != other.hash(secret))
    }

    @Test func theHashMatchesHMACSHA256() {
        let pepper = SymmetricKey(data: Data(repeating: 7, count: 32))
        let expected = Data(HMAC<SHA256>.authenticationCode(for: Data("s".utf8), using: pepper)).map { String(format: "%02x", $0) }.joined()
        #expect(SecretHasher(pepper: pepper).hash("s") == expected)
    }

    @Test func verificationComparesEveryDigitOfTheStoredHash() {
        let secret = SecretFormat.generate(.clientSecret)
        let stored = hasher.hash(secret)
        #expect(hasher.verify(secret, against: stored))
        #expect(hasher.verify(secret, against: stored), "a second verification with the same keyed state")
        for index in [0, 1, 31, 63] {
            var bytes = Array(stored.utf8)
            bytes[index] = bytes[index] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
            #expect(!hasher.verify(secret, against: String(decoding: bytes, as: UTF8.self)), "digit \(index) changed")
        }
        #expect(!hasher.verify(secret, against: stored.uppercased()) || stored == stored.uppercased())
        #expect(!hasher.verify(secret, against: String(stored.dropLast())))
        #expect(!hasher.verify(secret, against: stored + "0"))
        #expect(!hasher.verify(secret, against: ""))
    }

    @Test func hexDigitsAreLowerCase() {
        #expect((0...15).map { hexDigit(UInt8($0)) } == Array("0123456789abcdef".utf8))
    }

    @Test func constantTimeEqualityComparesWholeStrings() {
        #expect(constantTimeEquals("abc", "abc"))
        #expect(!constantTimeEquals("abc", "abd"))
        #expect(!constantTimeEquals("abc", "abcd"))
        #expect(constantTimeEquals("", ""))
    }
}

@Suite struct MasterKeyTests {
    static let valid = Data(repeating: 1, count: 32).base64EncodedString()

    @Test(arguments: ["", "abc", Data(repeating: 1, count: 16).base64EncodedString(), Data(repeating: 1, count: 33).base64EncodedString(), "%%%%"])
    func malformedMasterKeysAreRefused(_ text: String) {
        #expect(throws: ValidationError.self) { try MasterKey(base64: text) }
    }

    @Test func sealedDataOpensOnlyWithTheSameKey() throws {
        let key = try MasterKey(base64: Self.valid)
        let other = try MasterKey(base64: Data(repeating: 2, count: 32).base64EncodedString())
        let sealed = try key.seal(Data("pepper".utf8))
        #expect(try key.open(sealed) == Data("pepper".utf8))
        #expect(throws: (any Error).self) { try other.open(sealed) }
    }

    @Test func aSealedPepperNeedsTheMasterKeyThatSealedIt() throws {
        let key = try MasterKey(base64: Self.valid)
        let pepper = Data(repeating: 9, count: 32)
        let stored = Data("sealed:".utf8) + (try key.seal(pepper))
        #expect(try ServerSecrets.pepper(from: stored, masterKey: key) == pepper)
        #expect(throws: ServerSecrets.Failure.self) { try ServerSecrets.pepper(from: stored, masterKey: nil) }
        let otherKey = try MasterKey(base64: Data(repeating: 3, count: 32).base64EncodedString())
        #expect(throws: ServerSecrets.Failure.self) { try ServerSecrets.pepper(from: stored, masterKey: otherKey) }
        #expect(try ServerSecrets.pepper(from: Data("plain:".utf8) + pepper, masterKey: nil) == pepper)
        #expect(throws: ServerSecrets.Failure.self) { try ServerSecrets.pepper(from: Data("junk".utf8), masterKey: nil) }
    }
}
