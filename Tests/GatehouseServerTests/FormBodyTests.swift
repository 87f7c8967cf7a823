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

    @Test("Bad percent-encoding and percent-encoded non-UTF-8 are invalid_request", arguments: ["a=%", "a=%Z1", "a=%FF", "%C3=1", "a=%C3%28"])
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
