import GatehouseCore

/// The user name and password of `Authorization: Basic <credentials>` (RFC 7617 §2): base64 of
/// `user-id ":" password`, split at the first colon (a user-id cannot hold one).
struct BasicCredentials {
    var user: String
    var password: String

    /// Decodes the part after `Basic `; `nil` unless it is padded base64 of UTF-8 with a colon.
    init?(_ encoded: Substring) {
        guard let bytes = Base64.decode(encoded), let text = String(validating: bytes, as: UTF8.self),
              let colon = text.utf8.firstIndex(of: UInt8(ascii: ":"))
        else { return nil }
        user = String(text[..<colon])
        password = String(text[text.utf8.index(after: colon)...])
    }
}
