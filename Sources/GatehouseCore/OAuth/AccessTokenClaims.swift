import Foundation

/// The claims of a Gatehouse access token, a JWT per RFC 9068 §2.2.
///
/// "exp", "iat" and "nbf" are NumericDates (RFC 7519 §2): whole seconds since the epoch.
public struct AccessTokenClaims: Codable, Sendable, Equatable {
    /// RFC 9068 §2.1: the "typ" header value of an access token.
    public static let type = "at+jwt"

    public var iss: String
    public var sub: String
    public var aud: String
    public var exp: Int
    public var iat: Int
    public var nbf: Int
    public var jti: String
    public var client_id: String
    /// Space-separated scopes (RFC 6749 §3.3); empty when none were granted.
    public var scope: String
    /// The organisation id the token belongs to.
    public var org: String
    public var unit: String?
    public var customer: String?
    /// A consumer token's source (SPEC §4): the id (not the secret) of the API key it was
    /// exchanged with. The token is active only while that key is usable.
    public var api_key_id: String?
    /// A consumer token's other source (SPEC §4): the id of the consumer credential (authentication
    /// code, identifier + pass code) it was exchanged with. The token is active only while that
    /// credential exists, is enabled and belongs to `sub`.
    public var consumer_credential_id: String?
    /// The `jti` of the access token this one was obtained with (a customer session's application
    /// token, a consumer token's user token): revoking that token stops this one too.
    public var parent_jti: String?

    public init(
        iss: String, sub: String, aud: String, exp: Int, iat: Int, nbf: Int, jti: String, client_id: String,
        scope: String, org: String, unit: String? = nil, customer: String? = nil, api_key_id: String? = nil, consumer_credential_id: String? = nil,
        parent_jti: String? = nil
    ) {
        self.iss = iss
        self.sub = sub
        self.aud = aud
        self.exp = exp
        self.iat = iat
        self.nbf = nbf
        self.jti = jti
        self.client_id = client_id
        self.scope = scope
        self.org = org
        self.unit = unit
        self.customer = customer
        self.api_key_id = api_key_id
        self.consumer_credential_id = consumer_credential_id
        self.parent_jti = parent_jti
    }

    public var scopes: [String] { scope.split(separator: " ").map(String.init) }
    public var expiresAt: Date { Date(timeIntervalSince1970: TimeInterval(exp)) }
}

extension AccessTokenClaims: JSONObjectWritable {
    /// The fields in the order of `JSONEncoder.gatehouse` (sorted keys).
    public func write(to writer: inout JSONObjectWriter) {
        writer.field("api_key_id", api_key_id)
        writer.field("aud", aud)
        writer.field("client_id", client_id)
        writer.field("consumer_credential_id", consumer_credential_id)
        writer.field("customer", customer)
        writer.field("exp", exp)
        writer.field("iat", iat)
        writer.field("iss", iss)
        writer.field("jti", jti)
        writer.field("nbf", nbf)
        writer.field("org", org)
        writer.field("parent_jti", parent_jti)
        writer.field("scope", scope)
        writer.field("sub", sub)
        writer.field("unit", unit)
    }
}
