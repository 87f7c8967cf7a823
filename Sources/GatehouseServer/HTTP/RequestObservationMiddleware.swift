import Foundation
import GatehouseCore
import Hummingbird
import Logging
import Prometheus
import Synchronization

/// One log line per request — method, path (never the query, which may carry a secret), status,
/// duration — and Prometheus counters and durations by route and status.
struct RequestObservationMiddleware: RouterMiddleware {
    typealias Context = GatehouseRequestContext
    let registry: PrometheusCollectorRegistry
    /// The counter and histogram of each route, method and status, made once: asking the registry
    /// on every request (a lock, label arrays, a lookup by name) was a visible share of a request.
    private let series = SeriesTable()

    private final class SeriesTable: Sendable {
        let entries = Mutex<[SeriesKey: Series]>([:])
    }

    /// A struct, not a tuple: a tuple type's runtime metadata is looked up on every use.
    private struct Series {
        var requests: Counter
        var durations: DurationHistogram
    }

    private struct SeriesKey: Hashable {
        var route: String
        var method: HTTPRequest.Method
        var status: Int
    }

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    static let buckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5),
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5),
    ]

    func handle(_ request: Request, context: Context, next: @concurrent (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            record(request, context: context, status: response.status, duration: ContinuousClock.now - start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status ?? .internalServerError
            record(request, context: context, status: status, duration: ContinuousClock.now - start)
            throw error
        }
    }

    private func record(_ request: Request, context: Context, status: HTTPResponse.Status, duration: Duration) {
        let key = SeriesKey(route: context.endpointPath ?? "unmatched", method: request.method, status: status.code)
        let metrics = series.entries.withLock { series in
            if let known = series[key] { return known }
            let labels = [("route", key.route), ("method", key.method.rawValue), ("status", String(key.status))]
            let made = Series(
                requests: registry.makeCounter(name: "gatehouse_http_requests_total", labels: labels),
                durations: registry.makeDurationHistogram(name: "gatehouse_http_request_duration_seconds", labels: labels, buckets: Self.buckets)
            )
            series[key] = made
            return made
        }
        metrics.requests.increment()
        metrics.durations.record(duration)
        context.logger.info(
            "\(request.method) \(SecretRedaction.redact(request.uri.path, limit: 1000)) \(status.code) \(duration.logText)",
            metadata: ["peer": "\(context.peerIP ?? "-")"]
        )
    }
}

extension Duration {
    /// Milliseconds with two decimals and the unit, as request log lines show them (`1.23ms`).
    var logText: String {
        // Hundredths of a millisecond, rounded, in integers (String(format:) cost a few percent of
        // a request in the profile).
        let hundredths = components.seconds * 100_000 + (components.attoseconds + 5_000_000_000_000) / 10_000_000_000_000
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)ms"
    }
}
