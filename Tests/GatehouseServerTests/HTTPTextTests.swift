import HTTPTypes
import Hummingbird
import NIOCore
@testable import GatehouseServer
import Testing
import GatehouseCore

@Suite("Header values on the hot paths")
struct HTTPTextTests {
    @Test("value(of:) reads as the subscript does: absent, once, repeated (joined), any name case")
    func valueOfMatchesTheSubscript() throws {
        let name = try #require(HTTPField.Name("X-Forwarded-Method"))
        var fields: HTTPFields = [.contentType: "text/plain"]
        #expect(fields.value(of: name) == nil)
        fields.append(HTTPField(name: try #require(HTTPField.Name("x-forwarded-method")), value: "GET"))
        #expect(fields.value(of: name) == "GET")
        fields.append(HTTPField(name: name, value: "POST"))
        #expect(fields.value(of: name) == "GET, POST")
        #expect(fields.value(of: name) == fields[name])
    }

    @Test("The media type drops parameters and case")
    func mediaType() {
        let fields: HTTPFields = [.contentType: " Application/X-WWW-Form-URLEncoded ; charset=utf-8"]
        #expect(fields.mediaType == "application/x-www-form-urlencoded")
        #expect(HTTPFields().mediaType == nil)
    }

    @Test("The peer address comes from the socket address's bytes, v4 and v6")
    func peerAddress() throws {
        for text in ["127.0.0.1", "203.0.113.9", "::1", "2001:db8::7"] {
            let socket = try SocketAddress(ipAddress: text, port: 4000)
            #expect(GatehouseRequestContext.peerAddress(of: socket) == GatehouseCore.IPAddress(text))
        }
        #expect(GatehouseRequestContext.peerAddress(of: nil) == nil)
    }
}
