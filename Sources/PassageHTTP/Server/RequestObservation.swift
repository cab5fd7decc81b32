import HTTPTypes
import Hummingbird
import Logging
import Metrics
import PassageServices

/// What the handler learns about a request for its log line: the operation it turned out to be
/// and who signed in. Reached through a task local because the router hands each handler its
/// own copy of the context; only the request's own task touches it, one step after another.
final class RequestNote: @unchecked Sendable {
    var operation: String?
    var user: String?

    @TaskLocal static var current: RequestNote?
}

/// The one log line and the metrics of every HTTP request (Docs/operations.md "Logs and
/// metrics"): a generated request id (also the `X-Request-Id` response header), the operation id
/// (for a web page or an unversioned endpoint, its method and route template; never the path
/// itself, which may carry a search), the signed-in user, the status and the time to the
/// response's head. Outermost in the chain, so it sees the status the other middleware settled.
struct RequestObservationMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    static let requestIDField = HTTPField.Name("X-Request-Id")!

    let logger: Logger
    let factory: any MetricsFactory

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let started = ContinuousClock.now
        let requestID = Self.newRequestID()
        let note = RequestNote()
        let inFlight = Meter(label: MetricNames.httpRequestsInFlight, factory: factory)
        inFlight.increment()
        defer { inFlight.decrement() }
        do {
            var response = try await RequestNote.$current.withValue(note) { try await next(request, context) }
            response.headers[Self.requestIDField] = requestID
            record(request, context, note, requestID: requestID, status: response.status.code, since: started)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            record(request, context, note, requestID: requestID, status: status, since: started)
            throw error
        }
    }

    private func record(
        _ request: Request, _ context: Context, _ note: RequestNote, requestID: String, status: Int,
        since started: ContinuousClock.Instant
    ) {
        let duration = ContinuousClock.now - started
        let operation = note.operation ?? "\(request.method.rawValue) \(context.endpointPath ?? "(unmatched)")"
        logger.info(
            "request",
            metadata: RequestRecord.metadata(
                requestID: requestID, user: note.user, command: operation, code: status, duration: duration))
        Counter(
            label: MetricNames.httpRequests, dimensions: [("operation", operation), ("status", "\(status)")],
            factory: factory
        ).increment()
        let (seconds, attoseconds) = duration.components
        Metrics.Timer(label: MetricNames.httpRequestDuration, dimensions: [("operation", operation)], factory: factory)
            .recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    /// 16 hex digits, random: unique enough to find one request's line, and says nothing.
    static func newRequestID() -> String {
        let hex = String(UInt64.random(in: .min ... .max), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
