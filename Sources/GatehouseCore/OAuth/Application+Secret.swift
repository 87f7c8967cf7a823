extension Application {
    /// Whether `secret` is this enabled application's client secret: a well-formed `ghcs_` secret
    /// (no hashing for a typo), one keyed hash, a constant-time compare. Used by the token
    /// endpoint (RFC 6749 §2.3.1) and by per-request HTTP Basic at enforcement.
    public func accepts(secret: String, hasher: SecretHasher) -> Bool {
        SecretFormat.isWellFormed(secret, as: .clientSecret) && hasher.verify(secret, against: secretHash) && !disabled
    }
}
