import Foundation

/// Where the data lives: `sqlite:///absolute/path`, `sqlite://relative/path`, or
/// `postgres://user:password@host:port/database` (also `postgresql://`).
public enum DatabaseURL: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(host: String, port: Int, username: String, password: String?, database: String)

    public static let defaultSQLite = DatabaseURL.sqlite(path: "./gatehouse.sqlite")

    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    public init(_ text: String) throws {
        if text.hasPrefix("sqlite://") {
            let path = String(text.dropFirst("sqlite://".count))
            guard !path.isEmpty else { throw Invalid(description: "database URL 'sqlite://' names no file (use sqlite:///path/to/file.sqlite)") }
            self = .sqlite(path: path)
            return
        }
        guard let components = URLComponents(string: text),
              let scheme = components.scheme, ["postgres", "postgresql"].contains(scheme)
        else {
            throw Invalid(description: "database URL must start with sqlite:// or postgres:// (got '\(Self.redacted(text))')")
        }
        guard let host = components.host, !host.isEmpty else { throw Invalid(description: "PostgreSQL URL has no host") }
        guard let username = components.user, !username.isEmpty else { throw Invalid(description: "PostgreSQL URL has no user name") }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty else { throw Invalid(description: "PostgreSQL URL names no database (postgres://user:pass@host:5432/DATABASE)") }
        self = .postgres(
            host: host, port: components.port ?? 5432, username: username,
            password: components.password?.removingPercentEncoding ?? components.password, database: database
        )
    }

    /// The URL with its password hidden, fit for logs and error messages.
    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite://\(path)"
        case .postgres(let host, let port, let username, let password, let database):
            "postgres://\(username)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)"
        }
    }

    static func redacted(_ text: String) -> String {
        guard let at = text.firstIndex(of: "@"), let scheme = text.range(of: "://") else { return String(text.prefix(80)) }
        return text[..<scheme.upperBound] + "***" + text[at...].prefix(80)
    }
}
