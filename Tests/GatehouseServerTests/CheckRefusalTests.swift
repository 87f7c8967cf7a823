import Foundation
import GatehouseCore
@testable import GatehouseServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The check's and the gateway's refusals (issue 15 point 5) answer byte for byte what they
/// answered before they became one typed error: the status, the fields in their order, and the
/// body as `JSONEncoder.gatehouse` writes `{"error", "message"}`.
@Suite("Check refusals")
struct CheckRefusalTests {
    static func encoded(_ error: String, _ message: String) throws -> String {
        String(decoding: try JSONEncoder.gatehouse.encode(["error": error, "message": message]), as: UTF8.self)
    }

    static let json = "application/json; charset=utf-8"

    static var cases: [(CheckRefusal, HTTPResponse.Status, [(HTTPField.Name, String)], error: String, message: String)] {
        [
            (.unauthorized, .unauthorized, [(.wwwAuthenticate, #"Bearer error="invalid_token""#)],
             "invalid_token", "a valid access token, API key or Basic credential is required"),
            (.throttled(retryAfter: 42), .tooManyRequests, [(.retryAfter, "42")],
             "too_many_failed_attempts", FailedAuthenticationThrottle.refusalMessage(retryAfter: 42)),
            (.unavailable, .serviceUnavailable, [(.retryAfter, String(StoreUnavailable.retryAfterSeconds))],
             "temporarily_unavailable", StoreUnavailable.message),
        ] + DenyReason.allCases.map { (.denied($0), .forbidden, [], $0.rawValue, CheckRefusal.message($0)) }
    }

    @Test("Every refusal keeps its status, its header fields in their order, and its JSON body")
    func byteForByte() async throws {
        let cases = Self.cases
        let router = Router(context: GatehouseRequestContext.self)
        router.get("refusal/:index") { _, context in cases[try context.parameters.require("index", as: Int.self)].0.response }
        try await Application(router: router, logger: quietLogger).test(.router) { client in
            for (index, (refusal, status, leading, error, message)) in cases.enumerated() {
                let response = try await client.executeRequest(uri: "/refusal/\(index)", method: .get, headers: [:], body: nil)
                #expect(response.status == status, "\(refusal)")
                let expected = (leading + [(.contentType, Self.json), (.cacheControl, "no-store")]).map { "\($0.0.canonicalName): \($0.1)" }
                let fields = response.headers.filter { $0.name != .contentLength }.map { "\($0.name.canonicalName): \($0.value)" }
                #expect(fields == expected, "\(refusal)")
                #expect(String(buffer: response.body) == (try Self.encoded(error, message)), "\(refusal)")
            }
        }
    }
}
