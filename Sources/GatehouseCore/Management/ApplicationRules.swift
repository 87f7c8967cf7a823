import Foundation

/// The rules every application's fields obey, applied on create and on every update.
enum ApplicationRules {
    static let grantTypes: Set<String> = ["client_credentials", "password", "refresh_token", "authorization_code"]
    static let defaultGrantTypes = ["client_credentials"]
    static let defaultAccessTokenTTL = 3600
    static let accessTokenTTLRange = 60...86_400
    static let maxListLength = 100

    static func validName(_ name: String) throws -> String {
        try validText(name, field: "name", maxLength: 200, allowEmpty: false)
    }

    static func validDescription(_ text: String?) throws -> String? {
        guard let text else { return nil }
        return try validText(text, field: "description", maxLength: 2000, allowEmpty: true)
    }

    static func validGrantTypes(_ values: [String]) throws -> [String] {
        try validList(values, field: "grantTypes") { value in
            guard grantTypes.contains(value) else {
                throw ValidationError(field: "grantTypes", message: "'\(value)' is not one of \(grantTypes.sorted().joined(separator: ", "))")
            }
            return value
        }
    }

    /// RFC 6749 §3.3: `scope-token = 1*( %x21 / %x23-5B / %x5D-7E )`.
    static func validScopes(_ values: [String]) throws -> [String] {
        try validList(values, field: "scopes") { value in
            let valid = !value.isEmpty && value.utf8.count <= 200 && value.utf8.allSatisfy { byte in
                byte == 0x21 || (0x23...0x5B).contains(byte) || (0x5D...0x7E).contains(byte)
            }
            guard valid else { throw ValidationError(field: "scopes", message: "'\(value.prefix(200))' is not an RFC 6749 scope token") }
            return value
        }
    }

    /// RFC 6749 §3.1.2: "The redirection endpoint URI MUST be an absolute URI … MUST NOT include a
    /// fragment component."
    static func validRedirectURIs(_ values: [String]) throws -> [String] {
        try validList(values, field: "redirectUris") { value in
            guard value.utf8.count <= 2000, let url = URL(string: value), let scheme = url.scheme, !scheme.isEmpty,
                  url.fragment == nil, !value.contains("#"), (url.host != nil || !["http", "https"].contains(scheme.lowercased()))
            else { throw ValidationError(field: "redirectUris", message: "'\(value.prefix(200))' is not an absolute URI without a fragment") }
            return value
        }
    }

    static func validAllowedIPs(_ values: [String]) throws -> [String] {
        try validList(values, field: "allowedIPs") { value in
            guard let cidr = CIDR(value) else {
                throw ValidationError(field: "allowedIPs", message: "'\(value.prefix(100))' is not an IPv4 or IPv6 address or CIDR")
            }
            return cidr.description
        }
    }

    /// RFC 9110 §9.1: method names are case-sensitive tokens; the standard ones are upper case.
    static func validMethods(_ values: [String]) throws -> [String] {
        try validList(values, field: "allowedMethods") { value in
            let upper = value.uppercased()
            guard !upper.isEmpty, upper.count <= 20, upper.utf8.allSatisfy({ (65...90).contains($0) }) else {
                throw ValidationError(field: "allowedMethods", message: "'\(value.prefix(40))' is not an HTTP method name")
            }
            return upper
        }
    }

    /// Resource patterns: absolute paths whose segments are literal, `*` (one segment) or a final
    /// `**` (any rest); no empty, `.` or `..` segments.
    static func validResources(_ values: [String]) throws -> [String] {
        try validList(values, field: "resources") { value in
            let segments = value.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
            let valid = value.hasPrefix("/") && value.utf8.count <= 500 && !value.contains("?") && !value.contains("#")
                && (value == "/" || segments.enumerated().allSatisfy { index, segment in
                    !segment.isEmpty && segment != "." && segment != ".."
                        && (segment == "*" || segment == "**" || !segment.contains("*"))
                        && (segment != "**" || index == segments.count - 1)
                })
            guard valid else {
                throw ValidationError(field: "resources", message: "'\(value.prefix(200))' is not a path pattern (e.g. /v1/orders/*/items or /v1/**)")
            }
            return value
        }
    }

    static func validAccessTokenTTL(_ value: Int) throws -> Int {
        guard accessTokenTTLRange.contains(value) else {
            throw ValidationError(field: "accessTokenTTL", message: "must be between \(accessTokenTTLRange.lowerBound) and \(accessTokenTTLRange.upperBound) seconds")
        }
        return value
    }

    /// `auto` needs the fixed customer; the other modes must not name one.
    static func validSession(_ access: SessionAccess, customer: String?) throws -> String? {
        switch (access, customer) {
        case (.auto, nil):
            throw ValidationError(field: "sessionCustomer", message: "is required when sessionAccess is 'auto'")
        case (.auto, let customer?):
            return try validText(customer, field: "sessionCustomer", maxLength: 200, allowEmpty: false)
        case (_, nil):
            return nil
        case (_, .some):
            throw ValidationError(field: "sessionCustomer", message: "is only allowed when sessionAccess is 'auto'")
        }
    }

    static func validText(_ text: String, field: String, maxLength: Int, allowEmpty: Bool) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard allowEmpty || !trimmed.isEmpty else { throw ValidationError(field: field, message: "must not be empty") }
        guard trimmed.unicodeScalars.count <= maxLength else { throw ValidationError(field: field, message: "must be at most \(maxLength) characters") }
        guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t" }) else {
            throw ValidationError(field: field, message: "must not contain control characters")
        }
        return trimmed
    }

    /// Validates each element, drops duplicates (keeping the first), and caps the length.
    static func validList(
        _ values: [String], field: String, element: (String) throws -> String
    ) throws -> [String] {
        guard values.count <= maxListLength else { throw ValidationError(field: field, message: "must have at most \(maxListLength) entries") }
        var seen = Set<String>()
        var result = [String]()
        for value in values {
            let valid = try element(value)
            if seen.insert(valid).inserted { result.append(valid) }
        }
        return result
    }
}
