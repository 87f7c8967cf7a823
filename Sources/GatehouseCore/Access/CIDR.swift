/// An IPv4 or IPv6 network in CIDR notation (RFC 4632 §3.1), e.g. `203.0.113.0/24`, `2001:db8::/32`.
/// A bare address is a network of one (`/32` or `/128`).
public struct CIDR: Sendable, Hashable, CustomStringConvertible {
    public let network: IPAddress
    public let prefixLength: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let address = IPAddress(String(parts[0])) else { return nil }
        let maxLength = address.bytes.count * 8
        if parts.count == 2 {
            guard let length = Int(parts[1]), (0...maxLength).contains(length), parts[1].allSatisfy(\.isNumber) else {
                return nil
            }
            self.prefixLength = length
        } else {
            self.prefixLength = maxLength
        }
        self.network = IPAddress(masking: address, to: prefixLength)
    }

    /// Whether `address` lies in this network; IPv4 never matches an IPv6 network and vice versa.
    public func contains(_ address: IPAddress) -> Bool {
        address.bytes.count == network.bytes.count && IPAddress(masking: address, to: prefixLength) == network
    }

    /// Canonical text: the masked network address and its prefix length.
    public var description: String { "\(network)/\(prefixLength)" }
}

extension IPAddress {
    init(masking address: IPAddress, to prefixLength: Int) {
        var bytes = address.bytes
        for index in bytes.indices {
            let bitsKept = max(0, min(8, prefixLength - index * 8))
            bytes[index] &= bitsKept == 0 ? 0 : UInt8(truncatingIfNeeded: 0xFF << (8 - bitsKept))
        }
        self.init(bytes: bytes)
    }

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }
}
