import Foundation

/// A key for the admin API. Only the keyed hash of the key is stored.
public struct AdminKey: Sendable, Equatable {
    public var id: String
    public var name: String
    public var keyHash: String
    public var createdAt: Date

    public init(id: String, name: String, keyHash: String, createdAt: Date) {
        self.id = id
        self.name = name
        self.keyHash = keyHash
        self.createdAt = createdAt
    }
}
