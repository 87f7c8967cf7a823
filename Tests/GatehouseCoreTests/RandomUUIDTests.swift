import Foundation
import GatehouseCore
import Testing

@Suite("RandomUUID: version-4 UUIDs as lower-case text")
struct RandomUUIDTests {
    @Test("Each is a lower-case RFC 9562 version-4 UUID that Foundation parses back, and they differ")
    func wellFormedAndRandom() throws {
        let made = (0..<1_000).map { _ in RandomUUID.make() }
        #expect(Set(made).count == made.count)
        for text in made.prefix(100) {
            let parsed = try #require(UUID(uuidString: text))
            #expect(parsed.uuidString.lowercased() == text)
            let bytes = withUnsafeBytes(of: parsed.uuid) { Array($0) }
            #expect(bytes[6] >> 4 == 4, "version 4")
            #expect(bytes[8] >> 6 == 0b10, "RFC variant")
        }
    }
}
