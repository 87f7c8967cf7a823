import Foundation

/// The rules every application's fields obey, applied on create and on every update.
enum ApplicationRules {
    static let grantTypes = GrantType.allCases.map(\.rawValue).sorted()
    static let defaultGrantTypes = ["client_credentials"]
    static let defaultAccessTokenTTL = 3600
    static let accessTokenTTLRange = 60...86_400
    static let maxListLength = 100
    static let maxNameLength = 200
    static let maxDescriptionLength = 2000
    static let maxScopeLength = 200
    static let maxRedirectURILength = 2000
    static let maxMethodLength = 20
    static let maxResourceLength = 500
    static let maxSessionCustomerLength = 200
    /// RFC 5321 §4.5.3.1.3: a path is at most 256 octets, its angle brackets included.
    static let maxContactEmailLength = 254

    static let name = TextRule(field: "name", maxLength: maxNameLength)
    static let description = TextRule(field: "description", maxLength: maxDescriptionLength, allowEmpty: true)
    static let sessionCustomer = TextRule(field: "sessionCustomer", maxLength: maxSessionCustomerLength)

    static func validName(_ text: String) throws -> String {
        try name.valid(text)
    }

    static func validDescription(_ text: String?) throws -> String? {
        try text.map(description.valid)
    }

    /// An address written `local@domain`: one `@`, neither side empty, no white space (Unicode
    /// White_Space) and no control character anywhere — taken as given, not trimmed, so that the
    /// document's pattern says exactly what is accepted. Deliverability is not checked.
    static func validContactEmail(_ text: String?) throws -> String? {
        guard let text else { return nil }
        // By scalar, not by Character: an `@` with a combining mark after it (or a prepended mark
        // before it) is no Character "@", yet the document's pattern sees it.
        let parts = text.unicodeScalars.split(separator: "@", omittingEmptySubsequences: false)
        let valid = text.unicodeScalars.count <= maxContactEmailLength && parts.count == 2 && parts.allSatisfy { !$0.isEmpty }
            && !text.unicodeScalars.contains { $0.properties.isWhitespace || $0.properties.generalCategory == .control }
        guard valid else {
            throw ValidationError(field: "contactEmail", message: "must be an email address (local@domain, at most \(maxContactEmailLength) characters, no spaces)")
        }
        return text
    }

    static func validGrantTypes(_ values: [String]) throws -> [GrantType] {
        try validList(values, field: "grantTypes") { value in
            guard let grantType = GrantType(rawValue: value) else {
                throw ValidationError(field: "grantTypes", message: "'\(value)' is not one of \(grantTypes.joined(separator: ", "))")
            }
            return grantType
        }
    }

    /// RFC 6749 §3.3: `scope-token = 1*( %x21 / %x23-5B / %x5D-7E )`.
    static func validScopes(_ values: [String]) throws -> [String] {
        try validList(values, field: "scopes") { value in
            let valid = !value.isEmpty && value.utf8.count <= maxScopeLength && value.utf8.allSatisfy { byte in
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
            guard value.unicodeScalars.count <= maxRedirectURILength, let url = URL(string: value), let scheme = url.scheme, !scheme.isEmpty,
                  url.fragment == nil, !value.contains("#"), (url.host != nil || !["http", "https"].contains(scheme.lowercased()))
            else { throw ValidationError(field: "redirectUris", message: "'\(value.prefix(200))' is not an absolute URI without a fragment") }
            return value
        }
    }

    static func validAllowedIPs(_ values: [String]) throws -> [AllowedIP] {
        try validList(values, field: "allowedIPs") { value in
            guard let cidr = CIDR(value) else {
                throw ValidationError(field: "allowedIPs", message: "'\(value.prefix(100))' is not an IPv4 or IPv6 address or CIDR")
            }
            return AllowedIP(cidr)
        }
    }

    /// RFC 9110 §9.1: method names are case-sensitive tokens; the standard ones are upper case.
    static func validMethods(_ values: [String]) throws -> [String] {
        try validList(values, field: "allowedMethods") { value in
            // ASCII letters only, checked before upper-casing: Unicode case mapping turns `poſt`
            // into `POST` and `ß` into `SS`, which the document's `^[A-Za-z]+$` refuses.
            let upper = Policy.asciiUppercased(value)
            guard !value.isEmpty, value.utf8.count <= maxMethodLength,
                  value.utf8.allSatisfy({ (65...90).contains($0) || (97...122).contains($0) }) else {
                throw ValidationError(field: "allowedMethods", message: "'\(value.prefix(40))' is not an HTTP method name")
            }
            return upper
        }
    }

    /// Resource patterns: absolute paths whose segments are literal, `*` (one segment) or a final
    /// `**` (any rest); no empty, `.` or `..` segments, no `?` or `#`. Read byte by byte (UTF-8),
    /// not by grapheme cluster, so that a combining mark after `/`, `*` or `?` changes nothing and
    /// the document's pattern says exactly the same.
    static func validResources(_ values: [String]) throws -> [String] {
        try validList(values, field: "resources") { value in
            let bytes = Array(value.utf8)
            let segments = bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).dropFirst()
            let valid = bytes.first == UInt8(ascii: "/") && value.unicodeScalars.count <= maxResourceLength
                && !bytes.contains(UInt8(ascii: "?")) && !bytes.contains(UInt8(ascii: "#"))
                && (bytes.count == 1 || segments.enumerated().allSatisfy { index, segment in
                    isResourceSegment(Array(segment), last: index == segments.count - 1)
                })
            guard valid else {
                throw ValidationError(field: "resources", message: "'\(value.prefix(200))' is not a path pattern (e.g. /v1/orders/*/items or /v1/**)")
            }
            return value
        }
    }

    private static func isResourceSegment(_ segment: [UInt8], last: Bool) -> Bool {
        let star = UInt8(ascii: "*"), dot = UInt8(ascii: ".")
        if segment == [star] { return true }
        if segment == [star, star] { return last }
        return !segment.isEmpty && segment != [dot] && segment != [dot, dot] && !segment.contains(star)
    }

    /// ``validResources(_:)``, parsed for the policy.
    static func resourcePatterns(_ values: [String]) throws -> [ResourcePattern] {
        try validResources(values).map(ResourcePattern.init)
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
            return try sessionCustomer.valid(customer)
        case (_, nil):
            return nil
        case (_, .some):
            throw ValidationError(field: "sessionCustomer", message: "is only allowed when sessionAccess is 'auto'")
        }
    }

    /// Validates each element, drops duplicates (keeping the first), and caps the length.
    static func validList<Element: Hashable>(
        _ values: [String], field: String, element: (String) throws -> Element
    ) throws -> [Element] {
        guard values.count <= maxListLength else { throw ValidationError(field: field, message: "must have at most \(maxListLength) entries") }
        var seen = Set<Element>()
        var result = [Element]()
        for value in values {
            let valid = try element(value)
            if seen.insert(valid).inserted { result.append(valid) }
        }
        return result
    }
}
