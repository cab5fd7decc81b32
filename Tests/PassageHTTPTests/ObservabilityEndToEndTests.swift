import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Metrics
import PassageConsole
import PassageCore
import PassageHTTP
import PassageServices
import PassageStore
import Postgres
import Prometheus
import TestSupport
import Testing

/// Everything this test process logs, through the JSON handler at trace level: the global
/// logging system is bootstrapped once, so the services' own loggers are captured too.
final class CapturedLog: @unchecked Sendable {
    static let shared = CapturedLog()
    private static let installed: Void = {
        LoggingSystem.bootstrap { label in
            JSONLogHandler(label: label, level: .trace, output: LogOutput { CapturedLog.shared.append($0) })
        }
    }()
    static func install() { _ = installed }

    private let lock = NSLock()
    private var lines: [String] = []

    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var count: Int { lock.withLock { lines.count } }
    func lines(from start: Int) -> [String] { lock.withLock { Array(lines[start...]) } }
}

/// Issue 21, "a test that the logs of a full end-to-end run contain no password, key or
/// identifier": a caseworker signs in with a password, opens a case, records the person (names,
/// date of birth, document number, phone), refers it and reads it back over the console and the
/// HTTP API; everything logged meanwhile, at every level, holds none of them, while each command
/// and request has its line and its count.
@Suite(.timeLimit(.minutes(2))) struct ObservabilityEndToEndTests {
    static let keySecret = "observability-end-to-end-key-of-forty-characters"
    static let secrets = [
        "Zainab", "Okonkwo", "Velasquez", "1987-06-15", "PX9981234", "311 5550199", "3115550199",
        TestAccounts.password("obs-cw"), TestAccounts.password("obs-adm"), keySecret,
    ]

    @Test func aFullRunLogsEveryCommandAndRequestAndNoSecretOrIdentifier() async throws {
        CapturedLog.install()
        let start = CapturedLog.shared.count
        var logger = Logger(label: "test.observability")
        logger.logLevel = .trace
        let conninfo = try await MigratedDatabase.conninfo("observability-end-to-end")
        let pool = try PostgresPool(conninfo: conninfo, size: 2, logger: logger)
        try await pool.transaction { connection in
            try TestAccounts.add(
                [("obs-cw", .caseworker, "ngo-a"), ("obs-adm", .admin, "ngo-a"), ("obs-clinic", .caseworker, "clinic")],
                on: connection)
        }
        let services = ApplicationServices.onStore(
            StoreSetup(pool: pool, personalDataKey: try PIIKey(secret: Self.keySecret), bulkReads: nil))
        let registry = PrometheusCollectorRegistry()
        let metrics = PrometheusMetricsFactory(registry: registry)
        let console = try await ConsoleServer.bind(
            configuration: ConsoleConfiguration(port: 0), commands: ConsoleCommands.table(services), logger: logger,
            metrics: metrics)
        let running = Task { try await console.run() }
        var api = PassageAPI(services: services, settings: HTTPSettings(), version: "test", readiness: { true })
        api.requestLogger = logger
        api.metrics = metrics
        var token = ""
        var requestIDs: [String] = []
        do {
            try await ConsoleClient.withConnection(port: console.port) { client in
                #expect(try await client.request("AUTH obs-adm \(TestAccounts.password("obs-adm"))").code == 250)
                let provider = try await client.request("PROVIDER ADD clinic services=legal_assistance areas=CO-ANT")
                #expect(provider.code == 250, "\(provider.text)")
            }
            try await ConsoleClient.withConnection(port: console.port) { client in
                #expect(try await client.request("AUTH obs-cw \(TestAccounts.password("obs-cw"))").code == 250)
                let facts =
                    #"{"ref":"obs-1","age":37,"sex":"female","nationality":"VE","current_country":"CO","current_area":"CO-ANT"}"#
                #expect(try await client.request("CASE NEW " + facts).code == 250)
                #expect(try await client.request("NEED ADD 1 LP-ND priority=urgent").code == 250)
                let person = try await client.request(
                    #"PERSON SET 1 name="Zainab Okonkwo-Velasquez" dob=1987-06-15 phone="+57 311 5550199" documents=PX9981234"#
                )
                #expect(person.code == 250, "\(person.text)")
                let referral = try await client.request("REFER 1 1 1 consent=yes")
                #expect(referral.code == 250, "\(referral.text)")
                #expect(try await client.request("CASE SHOW 1").code == 250)
                let shown = try await client.request("PERSON SHOW 1")
                #expect(shown.code == 250 && shown.data.joined().contains("PX9981234"), "\(shown.text)")
                #expect(try await client.request("REFERRAL SHOW 1").code == 250)
            }
            let app = Application(router: api.router(), logger: logger)
            (token, requestIDs) = try await app.test(.router) { client -> (String, [String]) in
                var requestIDs: [String] = []
                let body = try JSONSerialization.data(
                    withJSONObject: ["user": "obs-cw", "password": TestAccounts.password("obs-cw")])
                let signIn = try await client.execute(
                    uri: "/v1/sessions", method: .post, headers: [.contentType: "application/json"],
                    body: ByteBuffer(bytes: body))
                #expect(signIn.status == .created)
                let object = try JSONSerialization.jsonObject(with: Data(buffer: signIn.body)) as? [String: Any]
                let token = try #require(object?["token"] as? String)
                let bearer: HTTPFields = [.authorization: "Bearer \(token)"]
                for uri in ["/v1/cases/1", "/v1/cases/1/person", "/v1/referrals/1"] {
                    let response = try await client.execute(uri: uri, method: .get, headers: bearer)
                    #expect(response.status == .ok, "\(uri): \(response.status)")
                    requestIDs.append(try #require(response.headers[HTTPField.Name("X-Request-Id")!]))
                }
                let person = try await client.execute(uri: "/v1/cases/1/person", method: .get, headers: bearer)
                #expect(String(buffer: person.body).contains("Zainab"))
                return (token, requestIDs)
            }
        } catch {
            console.shutdown()
            _ = await running.result
            await pool.shutdown()
            throw error
        }
        console.shutdown()
        _ = await running.result
        await pool.shutdown()

        let logged = CapturedLog.shared.lines(from: start)
        // Every captured line is one JSON object.
        let objects = try logged.map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
        }
        let text = logged.joined()
        for secret in Self.secrets + [token] {
            #expect(!text.contains(secret), "the log holds \(secret)")
        }
        // A line for each command of the caseworker's console session, with its fields.
        let caseworker = objects.filter { $0["user"] as? String == "obs-cw" }
        for command in ["CASE NEW", "NEED ADD", "PERSON SET", "REFER", "CASE SHOW", "PERSON SHOW", "REFERRAL SHOW"] {
            let lines = caseworker.filter { $0["command"] as? String == command && $0["message"] as? String == "command" }
            #expect(lines.count == 1, "\(command): \(lines)")
            #expect(lines.first?["code"] as? String == "250")
            #expect((lines.first?["request_id"] as? String)?.hasPrefix("c2.") == true)
            #expect(lines.first?["duration_ms"] != nil)
        }
        // A line for each HTTP request, found by the id its response carried.
        for (id, operation) in zip(requestIDs, ["showCase", "showPerson", "showReferral"]) {
            let line = try #require(objects.first { $0["request_id"] as? String == id }, "\(operation)")
            #expect(line["command"] as? String == operation)
            #expect(line["user"] as? String == "obs-cw")
            #expect(line["code"] as? String == "200")
        }
        let signInLine = try #require(objects.first { $0["command"] as? String == "signIn" })
        #expect(signInLine["code"] as? String == "201")
        #expect(signInLine["user"] == nil, "no user before sign-in: \(signInLine)")

        var bytes: [UInt8] = []
        registry.emit(into: &bytes)
        let exported = String(decoding: bytes, as: UTF8.self)
        #expect(exported.contains(#"passage_console_commands_total{command="REFER",code="250"} 1"#), "\(exported)")
        #expect(exported.contains(#"passage_http_requests_total{operation="showPerson",status="200"} 2"#))
        for secret in Self.secrets + [token] { #expect(!exported.contains(secret)) }
    }
}
