import HTTPTypes

/// An `Authorization` field value, `auth-scheme [ 1*SP token68 ]` (RFC 9110 §11.4, §11.6.2): the
/// one reading of it for every endpoint that takes a credential (the check, the token,
/// introspection and revocation endpoints, the admin API, the consumer flow and customer
/// sessions).
///
/// The scheme is compared case-insensitively (RFC 9110 §11.1). Spaces and tabs around the value
/// and the spaces between scheme and credentials are not part of either.
struct AuthorizationField {
    /// The scheme in lower case: `bearer`, `basic`, …
    let scheme: String
    /// What follows the scheme; empty when nothing does.
    let credentials: Substring

    init(_ value: some StringProtocol) {
        let trimmed = value.trimmingOWS()
        guard let space = trimmed.utf8.firstIndex(of: UInt8(ascii: " ")) else {
            scheme = trimmed.asciiLowercased()
            credentials = ""
            return
        }
        scheme = trimmed[..<space].asciiLowercased()
        credentials = trimmed[space...].trimmingOWS()
    }

    /// The request's `Authorization` (several field lines joined by `, `, which no scheme's
    /// credentials accept); `nil` when there is none.
    init?(_ headers: HTTPFields) {
        guard let value = headers.value(of: .authorization) else { return nil }
        self.init(value)
    }

    /// The credentials when the scheme is `scheme` (lower case) and they are not empty.
    func credentials(ifScheme scheme: String) -> Substring? {
        self.scheme == scheme && !credentials.isEmpty ? credentials : nil
    }
}
