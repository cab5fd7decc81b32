import HTTPTypes
import Hummingbird
import Logging
import Metrics
import PassageCore
import PassageServices

/// The HTTP interface: the router built from the operation declarations, plus the unversioned
/// endpoints every deployment needs (`/openapi.json`, `/healthz`, `/readyz`).
public struct PassageAPI: Sendable {
    public let services: ApplicationServices
    public let settings: HTTPSettings
    /// Whether the database answers and its schema is the one this build carries.
    public let readiness: @Sendable () async -> Bool
    public let version: String
    /// Where each request's log line goes, and what counts it (RequestObservationMiddleware).
    public var requestLogger = Logger(label: "passage.http")
    public var metrics: any MetricsFactory = MetricsSystem.factory

    public init(
        services: ApplicationServices, settings: HTTPSettings, version: String,
        readiness: @escaping @Sendable () async -> Bool
    ) {
        self.services = services
        self.settings = settings
        self.version = version
        self.readiness = readiness
    }

    /// Every operation of the API, in the document's order.
    public static var operations: [APIOperation] { APIOperations.all }

    public func router() -> Router<APIRequestContext> {
        let router = Router(context: APIRequestContext.self)
        router.add(middleware: RequestObservationMiddleware(logger: requestLogger, factory: metrics))
        router.add(middleware: SecurityHeadersMiddleware(secure: settings.secure))
        router.add(middleware: ProblemMiddleware())
        let document = OpenAPIDocument.data(Self.operations, version: version)
        router.get("/openapi.json") { _, _ in
            var fields = HTTPFields()
            fields[.contentType] = "application/json"
            return Response(status: .ok, headers: fields, body: .init(byteBuffer: .init(bytes: document)))
        }
        // Health answers say nothing but up or ready: no version, no database name.
        router.get("/healthz") { _, _ in JSONResponse.text("ok\n", contentType: "text/plain") }
        let readiness = self.readiness
        router.get("/readyz") { _, _ -> Response in
            guard await readiness() else {
                var response = JSONResponse.text("not ready\n", contentType: "text/plain")
                response.status = .serviceUnavailable
                return response
            }
            return JSONResponse.text("ready\n", contentType: "text/plain")
        }
        for operation in Self.operations { register(operation, on: router) }
        WebPages(services: services, settings: settings).register(on: router)
        return router
    }

    func register(_ operation: APIOperation, on router: Router<APIRequestContext>) {
        let services = self.services
        let settings = self.settings
        router.on(RouterPath(operation.routerPath), method: operation.method) { request, context -> Response in
            var context = context
            RequestNote.current?.operation = operation.id
            if case .anyone = operation.access {
            } else {
                let actor = try await Authentication.actor(for: request, context: context, services: services)
                guard operation.allows(actor.role) else {
                    throw Problem.forbidden("the \(actor.role.rawValue) role may not \(operation.summary)")
                }
                context.actor = actor
                RequestNote.current?.user = actor.name
            }
            let call = APICall(request: request, context: context, services: services, settings: settings)
            // Each use case checks the session's credentials in its own transaction, as the
            // console's do (SessionCredentials.current).
            return try await SessionCredentials.$current.withValue(context.actor?.credentials) {
                try await operation.run(call)
            }
        }
    }
}
