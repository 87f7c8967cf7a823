extension Introspection.Answer: JSONObjectWritable {
    /// The fields in the order of `JSONEncoder.gatehouse` (sorted keys).
    public func write(to writer: inout JSONObjectWriter) {
        writer.field("active", active)
        writer.field("aud", aud)
        writer.field("client_id", client_id)
        writer.field("customer", customer)
        writer.field("exp", exp)
        writer.field("iat", iat)
        writer.field("iss", iss)
        writer.field("jti", jti)
        writer.field("nbf", nbf)
        writer.field("org", org)
        writer.field("scope", scope)
        writer.field("sub", sub)
        writer.field("token_type", token_type)
        writer.field("unit", unit)
    }
}
