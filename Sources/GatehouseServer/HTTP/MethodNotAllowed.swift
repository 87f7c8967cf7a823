import HTTPTypes

/// RFC 9110 §15.5.6: "The 405 (Method Not Allowed) status code indicates that the method
/// received in the request-line is known by the origin server but not supported by the target
/// resource. The origin server MUST generate an Allow header field in a 405 response containing
/// a list of the target resource's currently supported methods."
struct MethodNotAllowed: Error, Sendable {
    /// The path's methods, in a fixed order (the standard ones first, then by name).
    let allowed: [HTTPRequest.Method]

    init(allowed: some Sequence<HTTPRequest.Method>) {
        self.allowed = Set(allowed).sorted { Self.rank($0) == Self.rank($1) ? $0.rawValue < $1.rawValue : Self.rank($0) < Self.rank($1) }
    }

    /// RFC 9110 §10.2.1: `Allow = #method`.
    var allowField: String { allowed.map(\.rawValue).joined(separator: ", ") }

    /// No path in it: a path may carry a secret (docs/secrets.md).
    var message: String { "this method is not allowed here; allowed: \(allowField)" }

    private static let standard: [HTTPRequest.Method] = [.get, .head, .post, .put, .patch, .delete, .options, .trace, .connect]

    private static func rank(_ method: HTTPRequest.Method) -> Int { standard.firstIndex(of: method) ?? standard.count }
}
