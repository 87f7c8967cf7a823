import Foundation

/// The public shape of a user (SPEC §6): every field but the password hash, none of them null.
extension User: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, username, organisation, apiUser, units, disabled, createdAt, updatedAt
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(username, forKey: .username)
        try c.encode(organisationId, forKey: .organisation)
        try c.encode(apiUser, forKey: .apiUser)
        try c.encode(units, forKey: .units)
        try c.encode(disabled, forKey: .disabled)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(updatedAt, forKey: .updatedAt)
    }
}
