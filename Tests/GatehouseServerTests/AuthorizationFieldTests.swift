import HTTPTypes
@testable import GatehouseServer
import Testing

/// One reading of `Authorization` for every endpoint (RFC 9110 §11.4, §11.6.2).
@Suite struct AuthorizationFieldTests {
    @Test(arguments: [
        ("Bearer abc", "bearer", "abc"),
        ("bearer abc", "bearer", "abc"),
        ("BEARER   abc  ", "bearer", "abc"),
        ("\t Basic dXNlcjpwYXNz\t", "basic", "dXNlcjpwYXNz"),
        ("Bearer", "bearer", ""),
        ("Bearer   ", "bearer", ""),
        ("Bearerabc", "bearerabc", ""),
        ("Basic\tdXNlcjo=", "basic\tdxnlcjo=", ""),
        ("Bearer a b", "bearer", "a b"),
        ("", "", ""),
    ])
    func theSchemeIsCaseInsensitiveAndSpacesAreNotPartOfEither(_ value: String, _ scheme: String, _ credentials: String) {
        let field = AuthorizationField(value)
        #expect(field.scheme == scheme)
        #expect(field.credentials == credentials[...])
    }

    @Test func credentialsOfAnotherSchemeOrEmptyOnesAreNone() {
        #expect(AuthorizationField("Bearer abc").credentials(ifScheme: "bearer") == "abc")
        #expect(AuthorizationField("Bearer abc").credentials(ifScheme: "basic") == nil)
        #expect(AuthorizationField("Bearer ").credentials(ifScheme: "bearer") == nil)
    }

    @Test func severalFieldLinesAreOneJoinedValueThatNoCredentialMatches() throws {
        var headers = HTTPFields()
        #expect(AuthorizationField(headers) == nil)
        headers.append(HTTPField(name: .authorization, value: "Bearer one"))
        headers.append(HTTPField(name: .authorization, value: "Bearer two"))
        let field = try #require(AuthorizationField(headers))
        #expect(field.scheme == "bearer")
        #expect(field.credentials == "one, Bearer two")
    }
}
