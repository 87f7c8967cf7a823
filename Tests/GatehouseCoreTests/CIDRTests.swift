@testable import GatehouseCore
import Testing

@Suite struct CIDRTests {
    @Test(arguments: [
        ("10.0.0.1/8", "10.0.0.0/8"), ("192.168.1.77", "192.168.1.77/32"), ("0.0.0.0/0", "0.0.0.0/0"),
        ("2001:db8::1/32", "2001:db8::/32"), ("::1", "::1/128"), ("::ffff:1.2.3.4", "1.2.3.4/32"),
    ])
    func validNetworksParseToTheirCanonicalForm(_ text: String, _ canonical: String) throws {
        #expect(try #require(CIDR(text)).description == canonical)
    }

    @Test(arguments: ["", "10.0.0.1/33", "10.0.0.1/", "10.0.0.1/-1", "10.0.0.1/8/9", "300.1.1.1", "2001:db8::/129", "nonsense", "10.0.0.1/+8", "1.2.3"])
    func malformedNetworksAreRefused(_ text: String) {
        #expect(CIDR(text) == nil)
    }

    @Test func membershipFollowsThePrefix() throws {
        let network = try #require(CIDR("203.0.113.0/24"))
        #expect(network.contains(try #require(IPAddress("203.0.113.200"))))
        #expect(!network.contains(try #require(IPAddress("203.0.114.1"))))
        #expect(network.contains(try #require(IPAddress("::ffff:203.0.113.9"))), "IPv4-mapped IPv6 folds to IPv4")
        #expect(!network.contains(try #require(IPAddress("2001:db8::1"))))
        let v6 = try #require(CIDR("2001:db8::/32"))
        #expect(v6.contains(try #require(IPAddress("2001:db8:ffff::1"))))
        #expect(!v6.contains(try #require(IPAddress("2001:db9::1"))))
        #expect(try #require(CIDR("0.0.0.0/0")).contains(try #require(IPAddress("8.8.8.8"))))
    }
}

@Suite struct IPAddressBytesTests {
    @Test("Socket bytes give the same address as its text; IPv4-mapped IPv6 folds to IPv4; other lengths are refused")
    func fromNetworkBytes() throws {
        #expect(IPAddress(networkBytes: [203, 0, 113, 9]) == IPAddress("203.0.113.9"))
        #expect(IPAddress(networkBytes: [UInt8](repeating: 0, count: 10) + [0xFF, 0xFF, 203, 0, 113, 9]) == IPAddress("203.0.113.9"))
        let v6 = try #require(IPAddress("2001:db8::1"))
        #expect(IPAddress(networkBytes: v6.bytes) == v6)
        #expect(IPAddress(networkBytes: [1, 2, 3]) == nil)
        #expect(IPAddress(networkBytes: []) == nil)
    }
}
