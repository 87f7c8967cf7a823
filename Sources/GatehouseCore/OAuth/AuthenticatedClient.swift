/// Who called the token endpoint: an application, or an API user acting as a client (SPEC §1).
public enum AuthenticatedClient: Sendable {
    case application(Application)
    case apiUser(User)

    /// The `client_id` the caller authenticated with.
    public var clientId: String {
        switch self {
        case .application(let application): application.clientId
        case .apiUser(let user): user.username
        }
    }

    public var organisationId: String {
        switch self {
        case .application(let application): application.organisationId
        case .apiUser(let user): user.organisationId
        }
    }

    /// Whether the client authenticated with an API user's password (a secret a person chose),
    /// not an application's generated secret.
    public var isAPIUser: Bool {
        if case .apiUser = self { return true }
        return false
    }

    /// Whether the client may use `grantType`. API users only have client_credentials.
    public func allows(grantType: String) -> Bool {
        switch self {
        case .application(let application): application.grantTypes.contains { $0.rawValue == grantType }
        case .apiUser: grantType == ClientCredentialsGrant.grantType
        }
    }
}

/// The credentials a client presented (RFC 6749 §2.3.1), and how.
public struct ClientCredentials: Sendable {
    public enum Method: String, Sendable {
        case clientSecretBasic = "client_secret_basic"
        case clientSecretPost = "client_secret_post"
    }

    public var clientId: String
    public var secret: String
    public var method: Method

    public init(clientId: String, secret: String, method: Method) {
        self.clientId = clientId
        self.secret = secret
        self.method = method
    }

    /// Whether someone could have `clientId`: an application's is a UUID (36 characters), an API
    /// user's is its user name (at most 200 characters, `UserRules`). A longer one is refused
    /// before any lookup, cache or KDF. Counts at most 201 characters, however long the id.
    public var isPossibleClientId: Bool {
        clientId.prefix(UserRules.maxUsernameLength + 1).count <= UserRules.maxUsernameLength
    }
}
