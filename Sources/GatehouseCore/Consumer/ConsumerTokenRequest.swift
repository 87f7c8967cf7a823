import Foundation

/// The JSON body of `POST /authentication/consumer_application_key/token` (SPEC §4), one of
///
/// - `{"access_token_identifier": {"authentication_code": "…"}, "unit"?}`
/// - `{"access_token_identifier": {"identifier": "…", "pass_code": "…"}, "unit"?}`
/// - `{"jwt": "<Gatehouse access token of a user>", "organisation": "<id or name>", "unit"?}`
///
/// Parsing is strict: an object, no unknown field (top level or inside
/// `access_token_identifier`), every value a non-empty string; `null` is the same as absent.
/// Every breach is `INVALID_REQUEST` naming the field.
public struct ConsumerTokenRequest: Sendable, Equatable {
    public enum Identifier: Sendable, Equatable {
        case authenticationCode(String)
        case passCode(identifier: String, passCode: String)
        /// A Gatehouse access token of a user, exchanged for a token in the named organisation.
        case userToken(jwt: String, organisation: String)
    }

    public var identifier: Identifier
    public var unit: String?

    public init(identifier: Identifier, unit: String? = nil) {
        self.identifier = identifier
        self.unit = unit
    }

    static let fields: Set<String> = ["access_token_identifier", "unit", "jwt", "organisation"]
    static let identifierFields: Set<String> = ["authentication_code", "identifier", "pass_code"]

    /// Parses a body already known to be at most the upload limit.
    public static func parse(_ data: Data) throws -> ConsumerTokenRequest {
        guard String(validating: data, as: UTF8.self) != nil else { throw ConsumerTokenError.invalidRequest("the body is not valid UTF-8") }
        let parsed: Any
        do throws(StrictJSON.Invalid) {
            parsed = try StrictJSON.parse(data)
        } catch {
            throw ConsumerTokenError.invalidRequest(error.message)
        }
        guard let object = parsed as? [String: Any] else { throw ConsumerTokenError.invalidRequest("the body must be a JSON object") }
        try refuseUnknown(object, allowed: fields, path: "")
        let unit = try string(object, "unit", path: "")

        let jwt = try string(object, "jwt", path: "")
        let organisation = try string(object, "organisation", path: "")
        let hasIdentifier = !(object["access_token_identifier"] == nil || object["access_token_identifier"] is NSNull)

        if let jwt {
            guard !hasIdentifier else {
                throw ConsumerTokenError.invalidRequest("send either access_token_identifier or jwt, not both")
            }
            guard let organisation else { throw ConsumerTokenError.invalidRequest("organisation is required with jwt") }
            return ConsumerTokenRequest(identifier: .userToken(jwt: jwt, organisation: organisation), unit: unit)
        }
        guard hasIdentifier else { throw ConsumerTokenError.invalidRequest("access_token_identifier (or jwt with organisation) is required") }
        guard organisation == nil else { throw ConsumerTokenError.invalidRequest("organisation is only allowed with jwt") }
        guard let inner = object["access_token_identifier"] as? [String: Any] else {
            throw ConsumerTokenError.invalidRequest("access_token_identifier must be a JSON object")
        }
        let path = "access_token_identifier."
        try refuseUnknown(inner, allowed: identifierFields, path: path)
        let code = try string(inner, "authentication_code", path: path)
        let identifier = try string(inner, "identifier", path: path)
        let passCode = try string(inner, "pass_code", path: path)
        switch (code, identifier, passCode) {
        case (let code?, nil, nil):
            return ConsumerTokenRequest(identifier: .authenticationCode(code), unit: unit)
        case (nil, let identifier?, let passCode?):
            return ConsumerTokenRequest(identifier: .passCode(identifier: identifier, passCode: passCode), unit: unit)
        case (nil, nil, nil):
            throw ConsumerTokenError.invalidRequest("\(path)authentication_code, or \(path)identifier and \(path)pass_code, is required")
        case (nil, nil, _):
            throw ConsumerTokenError.invalidRequest("\(path)identifier is required with \(path)pass_code")
        case (nil, _, nil):
            throw ConsumerTokenError.invalidRequest("\(path)pass_code is required with \(path)identifier")
        case (.some, _, _):
            throw ConsumerTokenError.invalidRequest("send either \(path)authentication_code or \(path)identifier and \(path)pass_code, not both")
        }
    }

    private static func refuseUnknown(_ object: [String: Any], allowed: Set<String>, path: String) throws {
        if let unknown = object.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw ConsumerTokenError.invalidRequest("unknown field '\(path)\(unknown.prefix(100))'")
        }
    }

    /// The non-empty string at `key`; nil when absent or `null`.
    private static func string(_ object: [String: Any], _ key: String, path: String) throws -> String? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        guard let text = value as? String else { throw ConsumerTokenError.invalidRequest("\(path)\(key) must be a string") }
        guard !text.isEmpty else { throw ConsumerTokenError.invalidRequest("\(path)\(key) must not be empty") }
        return text
    }
}
