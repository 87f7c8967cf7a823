import Foundation

/// A tenancy partition. Every application, user and key belongs to exactly one.
///
/// The organisation named ``Organisation/defaultName`` always exists.
public struct Organisation: Sendable, Equatable, Codable {
    public static let defaultName = "default"

    public var id: String
    public var name: String
    /// The most applications this organisation may hold; `nil` means no limit.
    public var maxApplications: Int?
    public var createdAt: Date

    public init(id: String, name: String, maxApplications: Int?, createdAt: Date) {
        self.id = id
        self.name = name
        self.maxApplications = maxApplications
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey { case id, name, maxApplications, createdAt }

    /// Encodes `maxApplications` as `null` when there is no limit, so the field is always present.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(maxApplications, forKey: .maxApplications)
        try container.encode(createdAt, forKey: .createdAt)
    }
}
