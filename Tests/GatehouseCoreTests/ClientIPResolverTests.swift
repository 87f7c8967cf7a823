@testable import GatehouseCore
import Testing

@Suite struct ClientIPResolverTests {
    static let resolver = ClientIPResolver(trustedProxies: ["10.0.0.0/8", "fd00::/8"].compactMap(CIDR.init))

    func resolve(peer: String?, _ forwardedFor: [String] = [], realIP: String? = nil) -> String? {
        Self.resolver.clientIP(peer: peer.flatMap(IPAddress.init), forwardedFor: forwardedFor, realIP: realIP)?.description
    }

    @Test func anUntrustedPeerIsTheClientWhateverItsHeadersSay() {
        #expect(resolve(peer: "198.51.100.9", ["1.2.3.4"], realIP: "5.6.7.8") == "198.51.100.9")
        #expect(resolve(peer: "198.51.100.9", realIP: "10.0.0.1") == "198.51.100.9")
        #expect(resolve(peer: "2001:db8::9", ["10.0.0.1"]) == "2001:db8::9")
        let nobodyTrusted = ClientIPResolver(trustedProxies: [])
        #expect(nobodyTrusted.clientIP(peer: IPAddress("10.0.0.1"), forwardedFor: ["1.2.3.4"], realIP: nil)?.description == "10.0.0.1")
    }

    @Test func anUnknownPeerResolvesToNothing() {
        #expect(resolve(peer: nil, ["1.2.3.4"], realIP: "1.2.3.4") == nil)
    }

    @Test func aTrustedPeerIsBelievedAboutTheNextHop() {
        #expect(resolve(peer: "10.0.0.1", ["1.2.3.4"]) == "1.2.3.4")
        #expect(resolve(peer: "fd00::1", ["2001:db8::5"]) == "2001:db8::5")
        #expect(resolve(peer: "::ffff:10.0.0.1", ["1.2.3.4"]) == "1.2.3.4", "a mapped peer is its IPv4 address")
    }

    @Test func theRightmostUntrustedHopWinsAndHopsToItsLeftAreSpoofable() {
        #expect(resolve(peer: "10.0.0.1", ["6.6.6.6, 1.2.3.4, 10.0.0.2, fd00::3"]) == "1.2.3.4")
        #expect(resolve(peer: "10.0.0.1", ["6.6.6.6", "1.2.3.4 ,10.0.0.2"]) == "1.2.3.4", "header lines join in order")
        #expect(resolve(peer: "10.0.0.1", ["1.2.3.4", "6.6.6.6"]) == "6.6.6.6")
        #expect(resolve(peer: "10.0.0.1", ["1.2.3.4,,  ", ""]) == "1.2.3.4", "empty list elements are ignored")
    }

    @Test func whenEveryHopIsTrustedTheLeftmostIsTheClient() {
        #expect(resolve(peer: "10.0.0.1", ["10.0.0.3, 10.0.0.2"]) == "10.0.0.3")
    }

    /// A hop a trusted proxy passed on that is not an address leaves the client unknown: never the
    /// proxy itself, which an allow-list of the proxies' network would admit.
    @Test func garbageMakesTheClientUnknownNeverTheProxy() {
        #expect(resolve(peer: "10.0.0.1", ["1.2.3.4, garbage, 10.0.0.2"]) == nil)
        #expect(resolve(peer: "10.0.0.1", ["1.2.3.4, unknown"]) == nil)
        #expect(resolve(peer: "10.0.0.1", ["[203.0.113.9]x"]) == nil)
        #expect(resolve(peer: "10.0.0.1", ["_hidden"], realIP: "1.2.3.4") == nil, "X-Real-IP is only a fallback for no XFF")
    }

    @Test func xRealIPIsTheFallbackWhenThereIsNoForwardedFor() {
        #expect(resolve(peer: "10.0.0.1", realIP: "1.2.3.4") == "1.2.3.4")
        #expect(resolve(peer: "10.0.0.1", [""], realIP: " 2001:db8::7 ") == "2001:db8::7")
        #expect(resolve(peer: "10.0.0.1", realIP: "nonsense") == nil, "an X-Real-IP that is not an address leaves the client unknown")
        #expect(resolve(peer: "10.0.0.1") == "10.0.0.1")
    }

    @Test(arguments: [
        ("1.2.3.4", "1.2.3.4"), ("1.2.3.4:5678", "1.2.3.4"), ("2001:db8::1", "2001:db8::1"), ("[2001:db8::1]", "2001:db8::1"),
        ("[2001:db8::1]:443", "2001:db8::1"), ("::ffff:1.2.3.4", "1.2.3.4"), ("[::ffff:1.2.3.4]:80", "1.2.3.4"),
    ])
    func hopsMayCarryPortsAndBrackets(_ hop: String, _ address: String) {
        #expect(ClientIPResolver.address(fromHop: hop[...])?.description == address)
        #expect(resolve(peer: "10.0.0.1", ["6.6.6.6, \(hop)"]) == address)
    }

    @Test(arguments: [
        "unknown", "_hidden", "1.2.3.4:", "1.2.3.4:99999", "1.2.3.4:80:80", "1.2.3.4:x", "[1.2.3.4]", "[2001:db8::1",
        "[2001:db8::1]x", "[2001:db8::1]:", "fe80::1%eth0", "1.2.3", "300.1.1.1", "for=1.2.3.4", "\"1.2.3.4\"", "",
    ])
    func malformedHopsAreNotAddresses(_ hop: String) {
        #expect(ClientIPResolver.address(fromHop: hop[...]) == nil)
    }
}
