import AsyncHTTPClient
import Foundation
import GatehouseCore
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle

/// Proxies an allowed request to the upstream with async-http-client: bodies streamed both ways,
/// hop-by-hop headers dropped (RFC 9110 §7.6.1), every incoming header whose name, case-folded
/// and with `_` read as `-`, starts with `x-gatehouse-` stripped, as are the path-, method- and
/// client-rewriting headers (``rewritingHeaders``), and the real identity added. Upstream down → 502,
/// upstream too slow → 504, each with a JSON body.
struct UpstreamProxy: Sendable {
    let upstream: URL
    let timeout: TimeAmount
    let client: HTTPClient
    /// The upstream URL without a trailing `/`, to which each request's path is appended.
    private let upstreamBase: String

    /// A client of its own: connection attempts are retried for at most 2 s, so a dead upstream
    /// is a prompt 502 rather than a wait for the whole request timeout.
    init(upstream: URL, timeout: TimeAmount) {
        self.upstream = upstream
        self.upstreamBase = upstream.absoluteString.trimmingSuffix("/")
        self.timeout = timeout
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(2), read: timeout)
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 64
        configuration.decompression = .disabled
        configuration.redirectConfiguration = .disallow
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "te", "trailer",
        "transfer-encoding", "upgrade", "host", "content-length",
    ]

    func forward(_ request: Request, path: String, identity: Identity, peer: GatehouseCore.IPAddress?, logger: Logger) async -> Response {
        var outgoing = HTTPClientRequest(url: upstreamBase + path)
        outgoing.method = HTTPMethod(rawValue: request.method.rawValue)
        outgoing.headers = Self.forwardedHeaders(request.headers, identity: identity, peer: peer)
        if Self.hasContent(request.headers) {
            // RFC 9110 §9.3.8: "A client MUST NOT send content in a TRACE request."
            guard request.method != .trace else {
                return Self.failure(.badRequest, "invalid_request", "a TRACE request must not have content (RFC 9110 §9.3.8)")
            }
            if request.method != .get && request.method != .head {
                let length = request.headers[.contentLength].flatMap(Int.init).map(HTTPClientRequest.Body.Length.known) ?? .unknown
                outgoing.body = .stream(request.body, length: length)
            }
        }
        do {
            let response = try await client.execute(outgoing, timeout: timeout, logger: logger)
            var headers = HTTPFields()
            let dropped = Self.dropped(by: response.headers[canonicalForm: "connection"].map(String.init))
            for (name, value) in response.headers where !dropped.contains(name.lowercased()) {
                if let field = HTTPField.Name(name) { headers.append(HTTPField(name: field, value: value)) }
            }
            if let length = response.headers.first(name: "content-length") { headers[.contentLength] = length }
            return Response(
                status: HTTPResponse.Status(code: Int(response.status.code)), headers: headers,
                body: ResponseBody(asyncSequence: response.body)
            )
        } catch let error where MalformedBody.isMalformedBody(error) {
            return Self.failure(.badRequest, "invalid_request", MalformedBody.message)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            return Self.failure(.gatewayTimeout, "upstream_timeout", "the upstream did not answer in time")
        } catch {
            logger.warning("upstream request failed", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            return Self.failure(.badGateway, "upstream_unavailable", "the upstream could not be reached")
        }
    }

    /// Headers that name another path, method or client than the one judged, honoured by some
    /// upstream frameworks: `X-Original-URL`/`X-Rewrite-URL` (Zend/Laminas, older Symfony, IIS URL
    /// Rewrite), the forward-auth pairs and `X-Forwarded-Prefix` (a path a framework prepends), and
    /// the client-address headers `X-Real-IP`, `Forwarded` (RFC 7239), `True-Client-IP`,
    /// `X-Client-IP` and the CDN and proxy ones, and the user headers that apps behind an
    /// authenticating proxy believe (`Remote-User`, `X-Auth-Request-User`). A client may not set
    /// them: the gateway judged its own reading of the request, so they are stripped in every
    /// spelling an upstream may read (folded as identity headers are). `X-Forwarded-For` is kept
    /// and appended to, as proxies do; upstreams read it from the right. `X-Forwarded-Host`,
    /// `-Proto` and `-Port` are kept: a TLS-terminating proxy in front of the gateway sets them.
    static let rewritingHeaders: [StaticString] = [
        "x-original-url", "x-rewrite-url", "x-rewrite-uri", "x-original-uri", "x-original-path", "x-forwarded-url",
        "x-ms-original-url", "x-forwarded-uri", "x-original-method", "x-forwarded-method", "x-forwarded-prefix",
        "x-forwarded-path", "x-script-name", "script-name", "x-envoy-original-path", "x-envoy-original-method",
        "x-real-ip", "forwarded", "forwarded-for", "x-forwarded", "true-client-ip", "x-client-ip", "client-ip",
        "cf-connecting-ip", "fastly-client-ip", "x-cluster-client-ip", "x-originating-ip", "x-remote-ip", "x-remote-addr",
        "x-envoy-external-address", "proxy-client-ip", "wl-proxy-client-ip",
        "remote-user", "x-remote-user", "x-auth-request-user", "x-user", "x-authenticated-user",
    ]

    static func forwardedHeaders(_ incoming: HTTPFields, identity: Identity, peer: GatehouseCore.IPAddress?) -> HTTPHeaders {
        var headers = HTTPHeaders()
        let dropped = dropped(by: incoming[values: .connection])
        for field in incoming {
            let name = field.name.canonicalName
            // Every identity-looking name, as the upstream may read it (`X_Gatehouse_Customer`), and
            // every name that would make the upstream read another request than the one judged.
            guard !dropped.contains(name), !HeaderNameFolding.name(name, hasFoldedPrefix: "x-gatehouse-"),
                  !rewritingHeaders.contains(where: { HeaderNameFolding.name(name, foldsTo: $0) })
            else { continue }
            headers.add(name: field.name.rawName, value: field.value)
        }
        if let peer {
            let previous = incoming[values: .xForwardedFor].joined(separator: ", ")
            headers.replaceOrAdd(name: "X-Forwarded-For", value: previous.isEmpty ? peer.description : previous + ", " + peer.description)
        }
        for header in identity.gatehouseHeaders {
            headers.add(name: header.name.canonicalName, value: header.value)
        }
        return headers
    }

    /// The hop-by-hop set plus whatever a `Connection` header names (most requests and answers
    /// have none: the set is then shared, not built).
    static func dropped(by connection: [String]) -> Set<String> {
        guard !connection.isEmpty else { return hopByHop }
        return hopByHop.union(connection.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
    }

    /// Whether the request carries content (RFC 9112 §6.3): chunked, or a length that is not 0. A
    /// request without any goes upstream without a body, which TRACE, for one, requires. A length
    /// past `Int.max` (the parser takes up to 2^64 − 1) is content, not "none".
    static func hasContent(_ headers: HTTPFields) -> Bool {
        headers[.transferEncoding] != nil || headers[.contentLength].map { UInt64($0) != 0 } == true
    }

    static func failure(_ status: HTTPResponse.Status, _ code: String, _ message: String) -> Response {
        let body = (try? JSONEncoder.gatehouse.encode(["error": code, "message": message])) ?? Data()
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: body))
        )
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}

/// Shuts the proxy's HTTP client down on graceful shutdown.
struct UpstreamProxyService: Service, CustomStringConvertible {
    /// Not the upstream URL, which may carry a user name and password.
    var description: String { "UpstreamProxyService" }
    let proxy: UpstreamProxy

    func run() async throws {
        try? await gracefulShutdown()
        try await proxy.client.shutdown()
    }
}
