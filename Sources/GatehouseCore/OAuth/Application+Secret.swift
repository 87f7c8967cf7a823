extension Application {
    /// Whether `secret` is this enabled application's client secret: one keyed hash and a
    /// constant-time compare. Used by the token endpoint (RFC 6749 §2.3.1) and by per-request
    /// HTTP Basic at enforcement. No format check first: a secret that hashes to the stored hash
    /// is the generated one, and the hash (~1 µs) costs less than the checksum did.
    /// The hash runs for a disabled application too, so timing does not tell that it is disabled.
    public func accepts(secret: String, hasher: SecretHasher) -> Bool {
        let matches = hasher.verify(secret, against: secretHash)
        return matches && !disabled
    }
}
