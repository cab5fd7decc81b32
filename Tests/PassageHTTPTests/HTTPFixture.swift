import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import PassageCore
import PassageHTTP
import PassageServices
import PassageStore
import Postgres
import TestSupport

/// The real API over the real services on a fresh, migrated database, driven in process
/// through Hummingbird's router test client (no sockets): what every HTTP test starts from.
struct HTTPFixture: Sendable {
    let conninfo: String
    let pool: PostgresPool
    let services: ApplicationServices

    static let personalDataKey = try! PIIKey(secret: "http-tests-key-of-at-least-forty-characters")

    /// One account per role in organisation "Alpha" (name = role), plus `accounts`.
    static let standardAccounts: [(name: String, role: Role, organisation: String)] = Role.allCases.map {
        (name: $0.rawValue, role: $0, organisation: "Alpha")
    }

    static func with<T: Sendable>(
        _ label: String = #function,
        accounts: [(name: String, role: Role, organisation: String)] = standardAccounts,
        ready: Bool = true,
        heavyQueries: HeavyQueryLimit? = nil,
        settings: HTTPSettings = HTTPSettings(),
        services change: @escaping @Sendable (inout ApplicationServices) -> Void = { _ in },
        _ body: @escaping @Sendable (HTTPFixture, any TestClientProtocol) async throws -> T
    ) async throws -> T {
        let conninfo = try await MigratedDatabase.conninfo(label)
        var logger = Logger(label: "test.http")
        logger.logLevel = .warning
        let pool = try PostgresPool(conninfo: conninfo, size: 2, logger: logger)
        try await pool.transaction { connection in try TestAccounts.add(accounts, on: connection) }
        // Persons under keys of their own, in a keyring database apart (Docs/case-life.md).
        let keyring = try PersonKeyring(conninfo: try await TestCluster.freshDatabase(label + "_keyring"))
        defer { keyring.close() }
        var setup = StoreSetup(pool: pool, personalDataKey: personalDataKey.using(keyring: keyring), bulkReads: nil)
        setup.heavyQueries = heavyQueries
        var services = ApplicationServices.onStore(setup)
        change(&services)
        let fixture = HTTPFixture(conninfo: conninfo, pool: pool, services: services)
        let api = PassageAPI(services: services, settings: settings, version: "test", readiness: { ready })
        let app = Application(router: api.router(), logger: logger)
        do {
            let result = try await app.test(.router) { client in try await body(fixture, client) }
            await pool.shutdown()
            return result
        } catch {
            await pool.shutdown()
            throw error
        }
    }

    static func password(_ name: String) -> String { TestAccounts.password(name) }
}

/// A signed-in client: the token of a real `POST /v1/sessions`.
struct SignedIn: Sendable {
    let token: String

    var headers: HTTPFields {
        var fields = HTTPFields()
        fields[.authorization] = "Bearer \(token)"
        return fields
    }

    func headers(_ extra: [HTTPField.Name: String]) -> HTTPFields {
        var fields = headers
        for (name, value) in extra { fields[name] = value }
        return fields
    }
}

extension TestClientProtocol {
    /// Signs in as `name` (password from HTTPFixture.password) and returns its token.
    func signIn(_ name: String) async throws -> SignedIn {
        let body = try JSONSerialization.data(withJSONObject: ["user": name, "password": HTTPFixture.password(name)])
        let response = try await execute(
            uri: "/v1/sessions", method: .post, headers: [.contentType: "application/json"],
            body: ByteBuffer(bytes: body))
        guard response.status == .created, let object = response.json, let token = object["token"] as? String else {
            throw HTTPTestError(description: "\(name) could not sign in: \(response.status) \(response.text)")
        }
        return SignedIn(token: token)
    }

    /// A JSON request; `body` is serialised with JSONSerialization.
    func call(
        _ method: HTTPRequest.Method, _ uri: String, as session: SignedIn?, json body: Any? = nil,
        headers extra: [HTTPField.Name: String] = [:]
    ) async throws -> TestResponse {
        var fields = session?.headers ?? HTTPFields()
        for (name, value) in extra { fields[name] = value }
        var buffer: ByteBuffer?
        if let body {
            fields[.contentType] = "application/json"
            buffer = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body))
        }
        return try await execute(uri: uri, method: method, headers: fields, body: buffer)
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    /// The body as a JSON object, or nil.
    var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any]
    }
    /// The body as a JSON array, or nil.
    var jsonArray: [Any]? {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [Any]
    }
}

struct HTTPTestError: Error, CustomStringConvertible {
    let description: String
}
