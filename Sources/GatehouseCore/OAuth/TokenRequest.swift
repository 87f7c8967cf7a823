/// The parameters of a token request (RFC 6749 §4, `application/x-www-form-urlencoded`), each
/// present at most once (RFC 6749 §3.2: "Request and response parameters MUST NOT be included more
/// than once"), empty values treated as absent.
public struct TokenRequest: Sendable {
    public var parameters: [String: String]

    public init(parameters: [String: String]) {
        self.parameters = parameters.filter { !$0.value.isEmpty }
    }

    public subscript(_ name: String) -> String? { parameters[name] }

    /// A parameter the grant cannot do without.
    public func require(_ name: String) throws -> String {
        guard let value = parameters[name] else { throw OAuthError.invalidRequest("missing parameter '\(name)'") }
        return value
    }

    /// The requested scopes (RFC 6749 §3.3: space-delimited), or `nil` when `scope` is absent.
    public var scopes: [String]? {
        parameters["scope"].map { $0.split(separator: " ").map(String.init) }
    }
}
