@testable import GatehouseCore
import Testing

/// SPEC §7: a secret a client put in the wrong place is not written back in errors or log lines.
@Suite struct SecretRedactionTests {
    let apiKey = SecretFormat.generate(.apiKey)
    let clientSecret = SecretFormat.generate(.clientSecret)
    let jwt = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ"

    @Test func everyKindOfSecretIsCutToItsPrefix() {
        for kind in SecretKind.allCases {
            let secret = SecretFormat.generate(kind)
            #expect(SecretRedaction.redact("no application '\(secret)'") == "no application '\(kind.prefix)…'")
        }
    }

    @Test func aJWTIsCutAcrossItsSegments() {
        #expect(SecretRedaction.redact("scope '\(jwt)' is not allowed") == "scope 'eyJ…' is not allowed")
    }

    @Test func pathsAndSentencesKeepEverythingElse() {
        #expect(SecretRedaction.redact("/admin/v1/apps/\(clientSecret)/secret") == "/admin/v1/apps/ghcs_…/secret")
        #expect(SecretRedaction.redact("keys \(apiKey), \(apiKey)") == "keys ghak_…, ghak_…")
        // A mistyped secret is still mostly secret: the shape is enough, not the checksum.
        #expect(SecretRedaction.redact("ghak_" + String(apiKey.dropFirst(6))) == "ghak_…")
    }

    /// Red-team finding: `GET /admin/v1/apps/xghcs_<secret>` logged and quoted the whole secret.
    @Test func aSecretGluedToOtherCharactersIsCutToo() {
        #expect(SecretRedaction.redact("x\(apiKey)") == "xghak_…")
        #expect(SecretRedaction.redact("id=\(clientSecret)&a") == "id=ghcs_…&a")
        #expect(SecretRedaction.redact("0\(jwt)") == "0eyJ…")
    }

    @Test func textWithoutACredentialIsUntouched() {
        for text in ["/v1/check", "github token ghak_ is short: ghak_abc", "grant_type 'password' is not supported", "über ghé eyJ"] {
            #expect(SecretRedaction.redact(text) == text)
        }
        #expect(!SecretRedaction.mayHoldCredential("/oauth/token"))
    }
}

extension SecretRedactionTests {
    @Test func anErrorMessageQuotesAtMostItsLimit() {
        let long = "no enabled customer '" + String(repeating: "x", count: 60_000) + "'"
        let message = SecretRedaction.errorMessage(long)
        #expect(message.count == SecretRedaction.errorMessageLimit)
        #expect(message.hasPrefix("no enabled customer 'xxx") && message.hasSuffix("x…"))
        #expect(SecretRedaction.errorMessage("scope 'read' is not allowed") == "scope 'read' is not allowed")
        // Cut first, then redacted: a secret at the cut is still hidden.
        let secret = SecretFormat.generate(.clientSecret)
        let cut = SecretRedaction.errorMessage(String(repeating: "y", count: 280) + " " + secret)
        #expect(!cut.contains(String(secret.dropFirst(5).prefix(8))))
    }
}
