/// The fields of `POST /admin/v1/orgs` and `gatehouse org create`.
public struct OrganisationInput: Sendable, Equatable, Decodable {
    public static let fields: Set<String> = .names(of: CodingKeys.self)

    public var name: String
    public var maxApplications: Int?

    public init(name: String, maxApplications: Int? = nil) {
        self.name = name
        self.maxApplications = maxApplications
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case name, maxApplications }
}

/// The fields of `PATCH /admin/v1/orgs/{id}` and `gatehouse org update`.
public struct OrganisationPatch: Sendable, Equatable, Decodable, MergePatch {
    public static let fields: Set<String> = .names(of: CodingKeys.self)

    public var name: Patch<String> = .keep
    public var maxApplications: Patch<Int> = .keep

    public init(name: Patch<String> = .keep, maxApplications: Patch<Int> = .keep) {
        self.name = name
        self.maxApplications = maxApplications
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case name, maxApplications }
}

enum OrganisationRules {
    static let maxApplicationsLimit = 1_000_000
    static let maxNameLength = 64

    /// Organisation names are identifiers (used in URLs, CLI arguments, tokens' `org`):
    /// a letter or digit, then letters, digits, `.`, `_` or `-`; at most 64 characters.
    static func validName(_ name: String) throws -> String {
        let valid = name.utf8.count <= maxNameLength && name.utf8.enumerated().allSatisfy { index, byte in
            Base62.isBase62(byte) || (index > 0 && (byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")))
        }
        guard !name.isEmpty, valid else {
            throw ValidationError(field: "name", message: "must be 1-\(maxNameLength) letters, digits, '.', '_' or '-', starting with a letter or digit")
        }
        return name
    }

    static func validMaxApplications(_ value: Int?) throws -> Int? {
        guard let value else { return nil }
        guard (0...maxApplicationsLimit).contains(value) else {
            throw ValidationError(field: "maxApplications", message: "must be between 0 and \(maxApplicationsLimit), or null for no limit")
        }
        return value
    }
}
