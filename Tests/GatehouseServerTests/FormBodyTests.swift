import Foundation
import GatehouseCore
@testable import GatehouseServer
import Testing

@Suite("OAuth form bodies (application/x-www-form-urlencoded)")
struct FormBodyTests {
    @Test("Parameters are split on & and =, '+' is a space, percent-escapes decode")
    func parses() throws {
        let parameters = try FormBody.parse("grant_type=client_credentials&scope=a+b%20c&client_id=x%3Ay&password=p%26q%3D")
        #expect(parameters == ["grant_type": "client_credentials", "scope": "a b c", "client_id": "x:y", "password": "p&q="])
    }

    @Test("Empty pairs and nameless pairs are skipped; a name without '=' has an empty value")
    func edges() throws {
        #expect(try FormBody.parse("") == [:])
        #expect(try FormBody.parse("&&a=1&&") == ["a": "1"])
        #expect(try FormBody.parse("=x&a=1") == ["a": "1"])
        #expect(try FormBody.parse("a") == ["a": ""])
        #expect(try FormBody.parse("a=b=c") == ["a": "b=c"])
        #expect(try FormBody.parse("p%C3%A4ss=w%C3%B6rd") == ["päss": "wörd"])
    }

    @Test("A parameter given twice is invalid_request, also when one is empty or spelled with escapes", arguments: [
        "a=1&a=1", "a=1&a=2", "a=&a=1", "a&a", "a=1&%61=2", "grant_type=x&grant%5Ftype=y",
    ])
    func duplicates(_ text: String) {
        #expect { try FormBody.parse(text) } throws: { ($0 as? OAuthError)?.code == .invalidRequest }
    }

    @Test("Bad percent-encoding and percent-encoded non-UTF-8 are invalid_request", arguments: ["a=%", "a=%Z1", "a=%FF", "%C3=1", "a=%C3%28", "a=%4&b=1", "a=%&b=1", "a=%4"])
    func badEncoding(_ text: String) {
        #expect { try FormBody.parse(text) } throws: { ($0 as? OAuthError)?.code == .invalidRequest }
    }

    @Test("Component decoding")
    func decode() {
        #expect(FormBody.decode("a+b") == "a b")
        #expect(FormBody.decode("a%2Bb") == "a+b")
        #expect(FormBody.decode("%") == nil)
    }
}

@Suite("HTTP Basic credentials (RFC 7617 §2)")
struct BasicCredentialsTests {
    static func encoded(_ text: String) -> Substring { Substring(Data(text.utf8).base64EncodedString()) }

    @Test("Split at the first colon; the password may hold colons or be empty")
    func splits() throws {
        let credentials = try #require(BasicCredentials(Self.encoded("client:se:cret")))
        #expect(credentials.user == "client" && credentials.password == "se:cret")
        let key = try #require(BasicCredentials(Self.encoded("ghak_x:")))
        #expect(key.user == "ghak_x" && key.password.isEmpty)
        let unicode = try #require(BasicCredentials(Self.encoded("bjørn:pässword")))
        #expect(unicode.user == "bjørn" && unicode.password == "pässword")
    }

    @Test("No colon, bad base64 and bytes that are not UTF-8 are refused")
    func refuses() {
        #expect(BasicCredentials(Self.encoded("nocolon")) == nil)
        #expect(BasicCredentials("not base64!") == nil)
        #expect(BasicCredentials(Substring(Data([0xC3, 0x28, 0x3A]).base64EncodedString())) == nil)
    }
}
