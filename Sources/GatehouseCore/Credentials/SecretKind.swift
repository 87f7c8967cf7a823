/// The kinds of generated high-entropy secrets, each with its own documented prefix.
///
/// The prefix lets a reader (and a secret scanner) tell what a leaked string is; the checksum
/// (see ``SecretFormat``) lets Gatehouse refuse a typo or a foreign string without a database read.
public enum SecretKind: String, Sendable, CaseIterable {
    /// An application's client secret (AuthPassword).
    case clientSecret = "ghcs_"
    /// An admin API key.
    case adminKey = "ghadm_"
    /// An API key (issue: access enforcement).
    case apiKey = "ghak_"
    /// A refresh token.
    case refreshToken = "ghrt_"
    /// A consumer's authentication code (consumer application key flow).
    case authenticationCode = "ghac_"

    public var prefix: String { rawValue }
}
