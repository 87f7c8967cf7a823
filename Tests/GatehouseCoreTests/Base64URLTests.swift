import Foundation
@testable import GatehouseCore
import Testing

@Suite("Base64URL (RFC 4648 §5, unpadded, canonical only)")
struct Base64URLTests {
    /// Foundation's base64 with the URL alphabet and no padding: the reference spelling.
    static func reference(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    @Test("Every length from 0 to 100 bytes encodes as the reference does and decodes back")
    func roundTrips() {
        var generator = SystemRandomNumberGenerator()
        for length in 0...100 {
            let data = Data((0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) })
            let text = Base64URL.encode(data)
            #expect(text == Self.reference(data), "length \(length)")
            #expect(Base64URL.decode(Substring(text)) == data, "length \(length)")
        }
        #expect(Base64URL.encode(Data([0xFB, 0xFF])) == "-_8")
    }

    @Test("Padding, the standard alphabet, whitespace, a dangling character and non-zero spare bits are refused")
    func refusesNonCanonical() {
        for text in ["QQ==", "+/8", "QQ QQ", "Q", "QUJDR", "QR", "QUJ", "\u{e9}A"] {
            #expect(Base64URL.decode(Substring(text)) == nil, "\(text)")
        }
        #expect(Base64URL.decode("QUI") == Data("AB".utf8), "the canonical spelling of QUJ")
        #expect(Base64URL.decode("") == Data())
    }
}

@Suite("Base64 (RFC 4648 §4, padded, as HTTP Basic carries it)")
struct Base64StandardTests {
    @Test("Every length from 0 to 64 bytes decodes Foundation's padded encoding")
    func decodesFoundationsEncoding() {
        var generator = SystemRandomNumberGenerator()
        for length in 0...64 {
            let data = Data((0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) })
            #expect(Base64.decode(Substring(data.base64EncodedString())) == data, "length \(length)")
        }
        #expect(Base64.decode("+/+/") == Data([0xFB, 0xFF, 0xBF]))
    }

    @Test("Like Foundation's decoder: extra padding and non-zero leftover bits are accepted")
    func lenientAsFoundation() {
        for text in ["YWJj====", "YR==", "YWJ="] {
            #expect(Base64.decode(Substring(text)) == Data(base64Encoded: text), "\(text)")
        }
        #expect(Base64.decode("YR==") == Data("a".utf8))
    }

    @Test("Missing padding, a lone sixth, the URL alphabet, whitespace and padding inside are refused",
          arguments: ["YQ", "YQ=", "YQ===", "Y===", "=YQ=", "YQ=a", "-_-_", "YQ== ", " YQ==", "A"])
    func refuses(_ text: String) {
        #expect(Base64.decode(Substring(text)) == nil)
    }
}
