import ArgumentParser
import GatehouseCore

/// The application fields as flags; repeat a list flag for several values.
struct ApplicationOptions: ParsableArguments {
    @Option(help: "Display name.") var name: String?
    @Option(help: "Free text.") var description: String?
    @Option(help: "Where users reach the app's developer (local@domain).") var contactEmail: String?
    @Option(name: .customLong("grant-type"), help: "client_credentials, password, refresh_token, authorization_code (repeatable).")
    var grantTypes: [String] = []
    @Option(name: .customLong("scope"), help: "A scope the app may ask for (repeatable).") var scopes: [String] = []
    @Option(name: .customLong("redirect-uri"), help: "Absolute redirect URI (repeatable).") var redirectUris: [String] = []
    @Option(help: "bearer or basic.") var authorizationType: AuthorizationType?
    @Option(name: .customLong("allowed-ip"), help: "IPv4/IPv6 address or CIDR (repeatable).") var allowedIPs: [String] = []
    @Option(name: .customLong("allowed-method"), help: "HTTP method (repeatable).") var allowedMethods: [String] = []
    @Option(name: .customLong("resource"), help: "Path pattern with * and ** (repeatable).") var resources: [String] = []
    @Option(help: "none, any or auto.") var sessionAccess: SessionAccess?
    @Option(help: "The fixed customer of an 'auto' app.") var sessionCustomer: String?
    @Option(help: "Access-token lifetime in seconds (60-86400).") var accessTokenTTL: Int?

    var input: ApplicationInput {
        var input = ApplicationInput(name: name ?? "")
        input.description = description
        input.contactEmail = contactEmail
        input.grantTypes = grantTypes.nonEmpty
        input.scopes = scopes.nonEmpty
        input.redirectUris = redirectUris.nonEmpty
        input.authorizationType = authorizationType
        input.allowedIPs = allowedIPs.nonEmpty
        input.allowedMethods = allowedMethods.nonEmpty
        input.resources = resources.nonEmpty
        input.sessionAccess = sessionAccess
        input.sessionCustomer = sessionCustomer
        input.accessTokenTTL = accessTokenTTL
        return input
    }

    /// Given flags replace the field; `clear` names fields to empty (lists) or unset.
    func patch(clearing clear: [String]) throws -> ApplicationPatch {
        var patch = ApplicationPatch()
        if let name { patch.name = .set(name) }
        if let description { patch.description = .set(description) }
        if let contactEmail { patch.contactEmail = .set(contactEmail) }
        if let value = grantTypes.nonEmpty { patch.grantTypes = .set(value) }
        if let value = scopes.nonEmpty { patch.scopes = .set(value) }
        if let value = redirectUris.nonEmpty { patch.redirectUris = .set(value) }
        if let authorizationType { patch.authorizationType = .set(authorizationType) }
        if let value = allowedIPs.nonEmpty { patch.allowedIPs = .set(value) }
        if let value = allowedMethods.nonEmpty { patch.allowedMethods = .set(value) }
        if let value = resources.nonEmpty { patch.resources = .set(value) }
        if let sessionAccess { patch.sessionAccess = .set(sessionAccess) }
        if let sessionCustomer { patch.sessionCustomer = .set(sessionCustomer) }
        if let accessTokenTTL { patch.accessTokenTTL = .set(accessTokenTTL) }
        for field in try ClearableApplicationField.parse(clear) {
            switch field {
            case .description: patch.description = .clear
            case .contactEmail: patch.contactEmail = .clear
            case .scopes: patch.scopes = .clear
            case .redirectUris: patch.redirectUris = .clear
            case .allowedIPs: patch.allowedIPs = .clear
            case .allowedMethods: patch.allowedMethods = .clear
            case .resources: patch.resources = .clear
            case .sessionCustomer: patch.sessionCustomer = .clear
            }
        }
        return patch
    }
}

/// What `app update --clear` may name.
enum ClearableApplicationField: String, ClearableField {
    case description, contactEmail, scopes, redirectUris, allowedIPs, allowedMethods, resources, sessionCustomer
}

extension AuthorizationType: ExpressibleByArgument {}
extension SessionAccess: ExpressibleByArgument {}

extension Array {
    var nonEmpty: Self? { isEmpty ? nil : self }
}
