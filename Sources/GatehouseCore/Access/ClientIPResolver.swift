/// Finds the client's address behind reverse proxies, believing forwarding headers only from
/// the proxies named by `--trusted-proxies` (SPEC §2, §5).
///
/// - The peer (the TCP address the request came from) is not a trusted proxy: the peer is the
///   client, and `X-Forwarded-For`/`X-Real-IP` are ignored — anybody can send them, so a spoofed
///   header from an untrusted peer changes nothing.
/// - The peer is trusted: `X-Forwarded-For` is the de-facto list `client, proxy1, proxy2` to which
///   each proxy appends the address it received the request from (the convention RFC 7239 §5.2
///   standardises for `Forwarded: for=`). Every header line is joined in order (RFC 9110 §5.3:
///   repeated field lines form one comma-separated list; empty elements are ignored) and walked
///   from the right, skipping hops that are trusted proxies; the first untrusted hop is the
///   client. Hops to its left were written by the client itself and are never believed. If every
///   hop is trusted, the leftmost one is the client.
/// - A hop that is not an address (`unknown`, an RFC 7239 obfuscated identifier, garbage) stops
///   the walk: the client is **unknown** (`nil`), never the trusted proxy that passed the garbage
///   on (an allow-list covering the proxies' own network would otherwise admit any client whose
///   hop did not parse), and never anything at or beyond the garbage. An unknown client passes no
///   non-empty allow-list.
/// - No `X-Forwarded-For` at all: `X-Real-IP` (the single-address header nginx's
///   `proxy_set_header X-Real-IP $remote_addr` sends) when it is an address, unknown when it is
///   there but is not; otherwise the peer.
/// - No peer (unknown transport): `nil`, since nothing can be trusted.
///
/// Hops and `X-Real-IP` are parsed leniently as `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1`,
/// `[2001:db8::1]` or `[2001:db8::1]:443` (ports are dropped; surrounding spaces trimmed).
/// IPv4-mapped IPv6 folds to IPv4 (see ``IPAddress``). Zone ids (`fe80::1%eth0`) are not addresses.
public struct ClientIPResolver: Sendable {
    public let trustedProxies: [CIDR]

    public init(trustedProxies: [CIDR]) {
        self.trustedProxies = trustedProxies
    }

    /// - Parameters:
    ///   - peer: the address of the TCP peer.
    ///   - forwardedFor: every `X-Forwarded-For` header value, in the order received.
    ///   - realIP: the `X-Real-IP` header value, if any.
    public func clientIP(peer: IPAddress?, forwardedFor: [String], realIP: String?) -> IPAddress? {
        guard let peer else { return nil }
        guard isTrusted(peer) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }
            .map(Self.trimmed)
            .filter { !$0.isEmpty }
        guard !hops.isEmpty else {
            guard let realIP, !Self.trimmed(realIP[...]).isEmpty else { return peer }
            return Self.address(fromHop: Self.trimmed(realIP[...]))
        }
        var lastTrusted = peer
        for hop in hops.reversed() {
            guard let address = Self.address(fromHop: hop) else { return nil }
            guard isTrusted(address) else { return address }
            lastTrusted = address
        }
        return lastTrusted
    }

    public func isTrusted(_ address: IPAddress) -> Bool {
        trustedProxies.contains { $0.contains(address) }
    }

    /// One hop: a bare address, `v4:port`, `[v6]` or `[v6]:port`; `nil` for anything else.
    static func address(fromHop hop: Substring) -> IPAddress? {
        guard !hop.isEmpty, hop.utf8.count <= 64 else { return nil }
        if hop.first == "[" {
            guard let close = hop.firstIndex(of: "]") else { return nil }
            let rest = hop[hop.index(after: close)...]
            guard rest.isEmpty || (rest.first == ":" && isPort(rest.dropFirst())) else { return nil }
            let inner = hop[hop.index(after: hop.startIndex)..<close]
            guard inner.contains(":"), let address = IPAddress(String(inner)) else { return nil }
            return address
        }
        if let address = IPAddress(String(hop)) { return address }
        let parts = hop.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].contains("."), isPort(parts[1]) else { return nil }
        return IPAddress(String(parts[0]))
    }

    /// Optional whitespace around list elements (RFC 9110 §5.6.1 `OWS`) is not part of them.
    private static func trimmed(_ text: Substring) -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        let start = text.firstIndex { !isSpace($0) } ?? text.endIndex
        let end = text.lastIndex { !isSpace($0) }.map { text.index(after: $0) } ?? start
        return text[start..<end]
    }

    private static func isPort(_ text: Substring) -> Bool {
        (1...5).contains(text.utf8.count) && text.utf8.allSatisfy { (48...57).contains($0) } && Int(text).map { $0 <= 65_535 } == true
    }
}
