/// One entry of an application's `allowedIPs` (SPEC §1), parsed once when the application is
/// loaded or validated, not on every request: its text as stored and shown, and the network it
/// names. An entry that names no network (only a row written outside the admin API can hold one)
/// matches no address, so a list made only of such entries lets nobody in rather than everybody.
public struct AllowedIP: ParsedRuleText {
    /// The text as stored; canonical (``CIDR/description``) for every entry the rules accepted.
    public let description: String
    /// The network, or nil when the text is not a CIDR.
    public let network: CIDR?

    public init(_ text: String) {
        self.description = text
        self.network = CIDR(text)
    }

    public init(_ network: CIDR) {
        self.description = network.description
        self.network = network
    }

    /// Whether `address` lies in the entry's network (RFC 4632 §3.1).
    public func contains(_ address: IPAddress) -> Bool {
        network?.contains(address) == true
    }
}
