import Yams

/// The admin API's contract: `admin-openapi.yaml` beside this file, the one description of every
/// admin route, request field, limit, pattern, label (`title`) and help text (`description`).
/// It is written by hand and reviewed like code; the Swift rules are checked against it by
/// `AdminContractDriftTests`, the live server by schemathesis (interop/test_openapi_contract.py),
/// and the console reads its forms from it. See docs/architecture.md, "The admin contract".
///
/// The YAML is embedded in the binary (SwiftPM `.embedInCode`), so a copied `gatehouse`
/// executable still serves it.
enum AdminContract {
    /// The document as served at `/admin/openapi.json`: JSON (RFC 8259), keys in the YAML's order,
    /// indented by two spaces. A `static let` is initialised on first use: the YAML is parsed once,
    /// on the first request for the document, never at start.
    static let json: [UInt8] = {
        guard let text = String(validating: PackageResources.admin_openapi_yaml, as: UTF8.self) else {
            preconditionFailure("admin-openapi.yaml is not UTF-8")
        }
        do {
            guard let root = try Yams.compose(yaml: text) else { preconditionFailure("admin-openapi.yaml is empty") }
            var writer = PrettyJSONWriter()
            try writer.write(root)
            return writer.bytes
        } catch {
            preconditionFailure("admin-openapi.yaml does not convert to JSON: \(error)")
        }
    }()
}
