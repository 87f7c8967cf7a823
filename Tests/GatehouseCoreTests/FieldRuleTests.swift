import Foundation
@testable import GatehouseCore
import Testing

/// One text rule for every resource's free-text fields, its limits read from named constants,
/// and application rules parsed into types once.
@Suite struct FieldRuleTests {
    typealias Rule = @Sendable (String) throws -> String?

    static let cases: [(String, Rule, String, String?)] = [
        ("application name", { try ApplicationRules.validName($0) }, "   ", "must not be empty"),
        ("application name", { try ApplicationRules.validName($0) }, String(repeating: "x", count: 201), "must be at most 200 characters"),
        ("application name", { try ApplicationRules.validName($0) }, "bell\u{07}", "must not contain control characters"),
        ("application name", { try ApplicationRules.validName($0) }, "two\nlines\tand a tab", nil),
        ("application description", { try ApplicationRules.validDescription($0) }, "", nil),
        ("application description", { try ApplicationRules.validDescription($0) }, String(repeating: "d", count: 2001), "must be at most 2000 characters"),
        ("API key name", { try APIKeyRules.validName($0) }, " ", "must not be empty"),
        ("API key description", { try APIKeyRules.validDescription($0) }, "nul\u{00}", "must not contain control characters"),
        ("username", { try UserRules.validUsername($0) }, "two\nlines", "must not contain control characters"),
        ("username", { try UserRules.validUsername($0) }, String(repeating: "u", count: 201), "must be at most 200 characters"),
        ("username", { try UserRules.validUsername($0) }, "a:b", "must not contain ':' (an API user's username is an HTTP Basic user-id, RFC 7617 §2)"),
        ("identifier", { try ConsumerCredentialRules.validIdentifier($0, kind: .passCode) }, "\t", "must not be empty"),
        ("identifier", { try ConsumerCredentialRules.validIdentifier($0, kind: .passCode) }, "a\tb", "must not contain control characters"),
        ("units", { try UserRules.validUnits([$0]).first }, "x\n", nil),
        ("units", { try UserRules.validUnits([$0]).first }, "a\u{7F}b", "'a\u{7F}b' is not a unit name (1-100 characters, no control characters)"),
    ]

    @Test(arguments: cases.indices)
    func textRulesKeepTheirMessages(_ index: Int) {
        let (what, rule, input, message) = Self.cases[index]
        do {
            _ = try rule(input)
            #expect(message == nil, "\(what) accepted \(input.debugDescription)")
        } catch let error as ValidationError {
            #expect(error.message == message, "\(what)")
        } catch {
            Issue.record("\(what): \(error)")
        }
    }

    @Test func theRulesReadTheirNamedLimits() throws {
        let rules: [(Int, (String) throws -> String?)] = [
            (ApplicationRules.maxNameLength, { try ApplicationRules.validName($0) }),
            (ApplicationRules.maxDescriptionLength, { try ApplicationRules.validDescription($0) }),
            (APIKeyRules.maxNameLength, { try APIKeyRules.validName($0) }), (UserRules.maxUsernameLength, { try UserRules.validUsername($0) }),
            (ConsumerCredentialRules.maxIdentifierLength, { try ConsumerCredentialRules.validIdentifier($0, kind: .passCode) }),
            (ApplicationRules.maxSessionCustomerLength, { try ApplicationRules.validSession(.auto, customer: $0) }),
        ]
        for (limit, rule) in rules {
            #expect(try rule(String(repeating: "x", count: limit))?.count == limit)
            #expect(throws: ValidationError.self) { try rule(String(repeating: "x", count: limit + 1)) }
        }
        let longest = String(repeating: "s", count: ApplicationRules.maxScopeLength)
        #expect(try ApplicationRules.validScopes([longest]) == [longest])
        #expect(throws: ValidationError.self) { try ApplicationRules.validScopes([longest + "s"]) }
        let method = String(repeating: "M", count: ApplicationRules.maxMethodLength)
        #expect(try ApplicationRules.validMethods([method]) == [method])
        #expect(throws: ValidationError.self) { try ApplicationRules.validMethods([method + "M"]) }
    }

    @Test func grantTypesAreParsedAndTheirMessageListsEveryOne() throws {
        #expect(try ApplicationRules.validGrantTypes(["refresh_token", "password", "refresh_token"]) == [.refreshToken, .password])
        #expect(throws: ValidationError(
            field: "grantTypes", message: "'implicit' is not one of authorization_code, client_credentials, password, refresh_token"
        )) { try ApplicationRules.validGrantTypes(["implicit"]) }
    }

    @Test func allowedIPsAndResourcesAreParsedOnceAndShownAsTheirText() throws {
        let ips = try ApplicationRules.validAllowedIPs(["10.1.2.3/16", "::ffff:1.2.3.4", "10.1.0.0/16"])
        #expect(ips.map(\.description) == ["10.1.0.0/16", "1.2.3.4/32"])
        #expect(ips.map(\.network) == [CIDR("10.1.0.0/16"), CIDR("1.2.3.4/32")])
        let patterns = try ApplicationRules.resourcePatterns(["/v1/*/items", "/v1/**"])
        #expect(patterns.map(\.segments) == [["v1", "*", "items"], ["v1", "**"]])
        #expect(String(decoding: try JSONEncoder().encode(patterns), as: UTF8.self) == #"["\/v1\/*\/items","\/v1\/**"]"#)
    }

    @Test func aStoredTextThatParsesToNothingMatchesNothing() throws {
        let entry = AllowedIP("not-a-cidr")
        #expect(entry.network == nil)
        #expect(!entry.contains(try #require(IPAddress("203.0.113.7"))))
        #expect(ResourcePattern("/v1/%00").segments == nil)
        #expect(!ResourcePattern("/v1/%00").matches(pathSegments: ["v1", "\u{00}"]))
    }
}
