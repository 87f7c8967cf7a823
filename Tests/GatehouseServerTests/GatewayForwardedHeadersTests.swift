import Foundation
import GatehouseCore
@testable import GatehouseServer
import HTTPTypes
import NIOHTTP1
import Testing

/// Issue 14 point 4: what the gateway passes upstream.
@Suite("Gateway: headers passed upstream")
struct GatewayForwardedHeadersTests {
    @Test("Every incoming header that an upstream could read as X-Gatehouse-* is stripped; the real identity replaces them")
    func identityHeadersAreStrippedInEverySpelling() throws {
        var incoming = HTTPFields()
        for name in [
            "X-Gatehouse-Customer", "X_Gatehouse_Customer", "x_gatehouse_subject", "X-GATEHOUSE_ORG", "X_GATEHOUSE-SCOPE",
            "x-gatehouse-anything", "X-Other", "X-Gatehousekeeping",
        ] {
            incoming.append(HTTPField(name: try #require(HTTPField.Name(name)), value: "victim"))
        }
        let identity = Identity(subject: "app", clientId: "app", organisationId: "org", scopes: ["s"])
        let forwarded = UpstreamProxy.forwardedHeaders(incoming, identity: identity, peer: nil)
        let names = forwarded.map(\.name)
        #expect(names.filter { $0.lowercased().replacingOccurrences(of: "_", with: "-").hasPrefix("x-gatehouse-") }.sorted()
            == ["x-gatehouse-client", "x-gatehouse-org", "x-gatehouse-scope", "x-gatehouse-subject"])
        #expect(!forwarded.contains { $0.value == "victim" && $0.name.lowercased().replacingOccurrences(of: "_", with: "-").hasPrefix("x-gatehouse-") })
        #expect(forwarded["X-Other"] == ["victim"] && forwarded["X-Gatehousekeeping"] == ["victim"])
        #expect(forwarded["X-Gatehouse-Subject"] == ["app"])
    }

    /// Red-team finding: `X-Original-URL: /v1/admin` reached the upstream of a request judged as
    /// `/v1/orders/1`, and `X-Real-IP` a client-chosen address.
    @Test("Headers that name another path, method or client than the one judged are stripped in every spelling", arguments: [
        "X-Original-URL", "x_rewrite_url", "X-Original-URI", "X-Forwarded-Uri", "X-FORWARDED_METHOD", "X-Original-Method",
        "X-Forwarded-Prefix", "X-Forwarded-Path", "X-Real-IP", "x_real_ip", "Forwarded", "True-Client-IP", "X-Client-IP",
        // The second review's list: more path overrides, CDN client addresses, proxy-asserted users.
        "X-Envoy-Original-Path", "X-Rewrite-URI", "X-Ms-Original-Url", "Script-Name", "CF-Connecting-IP", "Fastly-Client-IP",
        "X-Envoy-External-Address", "WL-Proxy-Client-IP", "Remote-User", "X_Auth_Request_User", "X-Authenticated-User",
    ])
    func rewritingHeadersAreStripped(_ name: String) throws {
        var incoming = HTTPFields()
        incoming.append(HTTPField(name: try #require(HTTPField.Name(name)), value: "/v1/admin"))
        incoming.append(HTTPField(name: .accept, value: "application/json"))
        let identity = Identity(subject: "app", clientId: "app", organisationId: "org", scopes: ["s"])
        let forwarded = UpstreamProxy.forwardedHeaders(incoming, identity: identity, peer: nil)
        #expect(!forwarded.contains { $0.value == "/v1/admin" }, "\(name) reached the upstream")
        #expect(forwarded["Accept"] == ["application/json"], "other headers pass")
    }
}
