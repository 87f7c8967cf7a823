import GatehouseCore
import Hummingbird

/// The admin API's error format (SPEC §6): `{"error": code, "message": …, "field"?: …}`, also
/// that of `/v1/customer-sessions` (SPEC §4).
enum AdminErrorFormat: ErrorFormat {
    static func own(_ error: any Error) -> AdminAPIError? {
        switch error {
        case let error as AdminAPIError:
            error
        case let error as ValidationError:
            .invalidRequest(error.message.prefixedField(error.field), field: error.field)
        case DomainError.notFound(let what):
            AdminAPIError(.notFound, "not_found", "no \(what)")
        case DomainError.conflict(let message):
            AdminAPIError(.conflict, "conflict", message)
        case DomainError.quotaExceeded(let message):
            AdminAPIError(.conflict, "quota_exceeded", message)
        default:
            nil
        }
    }

    static var unavailable: AdminAPIError { .temporarilyUnavailable }

    static var malformedBody: AdminAPIError { .invalidRequest(MalformedBody.message) }

    static var bodyTooLarge: AdminAPIError { AdminAPIError(.contentTooLarge, "invalid_request", bodyTooLargeMessage) }

    static func clientError(_ error: HTTPError) -> any Error {
        error.status == .contentTooLarge ? bodyTooLarge : AdminAPIError(error.status, "invalid_request", error.body ?? error.status.reasonPhrase)
    }

    static func methodNotAllowed(_ error: MethodNotAllowed) -> AdminAPIError {
        AdminAPIError(.methodNotAllowed, "method_not_allowed", error.message)
    }

    static var serverError: any Error { AdminAPIError(.internalServerError, "server_error", "the server failed to handle the request") }

    static var routeGroup: String { "admin" }
}

extension String {
    func prefixedField(_ field: String) -> String { "\(field) \(self)" }
}
