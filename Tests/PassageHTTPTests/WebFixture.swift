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

/// The web pages' tests: HTTPFixture's database and accounts, with the services optionally
/// changed (a fake GAPS answer), and a browser's cookies kept by hand.
enum WebFixture {
    /// The standard accounts (organisation Alpha, named after their role) plus `cleo`, a
    /// caseworker of the organisation behind provider "clinic", who receives Alpha's referrals.
    static let accounts = HTTPFixture.standardAccounts + [(name: "cleo", role: Role.caseworker, organisation: "clinic")]

    static func with<T: Sendable>(
        _ label: String = #function,
        services change: @escaping @Sendable (inout ApplicationServices) -> Void = { _ in },
        settings: HTTPSettings = HTTPSettings(),
        _ body: @escaping @Sendable (HTTPFixture, any TestClientProtocol) async throws -> T
    ) async throws -> T {
        try await HTTPFixture.with(label, accounts: accounts, settings: settings, services: change, body)
    }

    /// `count` referrals from Alpha (case "adult-<n>", one legal need each) to provider
    /// "clinic", made by Alpha's caseworker through the service; returns their ids and the first case.
    static func referrals(_ count: Int = 1, fixture: HTTPFixture) async throws -> (ids: [Int64], caseID: Int64) {
        let (provider, needs, firstCase) = try await fixture.pool.transaction { db in
            let alpha = try OrganisationStore.id(named: "Alpha", create: false, on: db)
            let (provider, _) = try ProviderStore().add(
                name: "clinic", services: ["legal_assistance", "health"], areas: ["CO-ANT"], capacity: 10, on: db)
            var needs: [(Int64, Int64)] = []
            for index in 0..<count {
                let record = try CaseStore().create(
                    try CaseFacts.decode(
                        jsonLine:
                            #"{"ref":"adult-\#(index)","age":34,"sex":"female","nationality":"VE","current_country":"CO","asylum":"applied"}"#
                    ),
                    organisation: alpha, caseworker: "caseworker", on: db)
                let need = try NeedStore().add(
                    caseID: record.id, code: "LP-ND", priority: "urgent", note: nil, organisation: alpha,
                    identifiedBy: "caseworker", on: db)
                needs.append((record.id, need.id))
            }
            return (provider.id, needs, needs.first?.0 ?? 0)
        }
        let caseworker = try await fixture.services.signIn.resume(
            token: try await openToken(fixture, "caseworker"), source: "192.0.2.1")
        var ids: [Int64] = []
        for (caseID, needID) in needs {
            let made = try await SessionCredentials.$current.withValue(caseworker.credentials) {
                try await fixture.services.referrals.refer(
                    NewReferral(caseID: caseID, needID: needID, providerID: provider, consented: true), by: caseworker)
            }
            ids.append(made.id)
        }
        return (ids, firstCase)
    }

    static func openToken(_ fixture: HTTPFixture, _ name: String) async throws -> String {
        let opening = try await fixture.services.signIn.openSession(
            user: name, password: HTTPFixture.password(name), source: "192.0.2.1", lifetime: nil)
        guard case .opened(let session) = opening else { throw HTTPTestError(description: "\(name) cannot sign in") }
        return session.token
    }

    static func count(_ fixture: HTTPFixture, _ sql: PostgresQuery) async throws -> Int {
        try await fixture.pool.withConnection { try $0.query(sql)[0].decode(Int.self, at: 0) }
    }
}

/// A browser's cookie jar, kept by hand: `Set-Cookie` answers go in, a `Cookie` header comes out.
struct WebBrowser: Sendable {
    var cookies: [String: String] = [:]

    var cookieHeader: String {
        cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
    }

    /// Takes the answer's cookies (a Max-Age=0 one deletes).
    mutating func take(_ response: TestResponse) {
        for header in response.headers[values: .setCookie] {
            let parts = header.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let first = parts.first, let equals = first.firstIndex(of: "=") else { continue }
            let name = String(first[..<equals])
            let value = String(first[first.index(after: equals)...])
            if parts.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
    }

    /// A request with this jar's cookies; the answer's cookies are taken.
    mutating func go(
        _ client: some TestClientProtocol, _ uri: String, headers extra: [HTTPField.Name: String] = [:]
    ) async throws -> TestResponse {
        try await request(client, .get, uri, form: nil, headers: extra)
    }

    /// A form POSTed with this jar's cookies.
    mutating func post(
        _ client: some TestClientProtocol, _ uri: String, form: [(String, String)]
    ) async throws -> TestResponse {
        try await request(client, .post, uri, form: form, headers: [:])
    }

    mutating func request(
        _ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String,
        form: [(String, String)]?, headers extra: [HTTPField.Name: String]
    ) async throws -> TestResponse {
        var fields = HTTPFields()
        if !cookies.isEmpty { fields[.cookie] = cookieHeader }
        for (name, value) in extra { fields[name] = value }
        var body: ByteBuffer?
        if let form {
            fields[.contentType] = "application/x-www-form-urlencoded"
            body = ByteBuffer(string: Self.encode(form))
        }
        let response = try await client.execute(uri: uri, method: method, headers: fields, body: body)
        take(response)
        return response
    }

    /// Signs in through the login form: GET /login for its CSRF cookie and field, then POST.
    static func signedIn(_ client: some TestClientProtocol, _ name: String) async throws -> WebBrowser {
        var browser = WebBrowser()
        let page = try await browser.go(client, "/login")
        let response = try await browser.post(
            client, "/login",
            form: [("csrf", page.csrf ?? ""), ("user", name), ("password", HTTPFixture.password(name))])
        guard response.status == .seeOther, browser.cookies["passage_session"] != nil else {
            throw HTTPTestError(description: "\(name) could not sign in on the web: \(response.status)")
        }
        return browser
    }

    static func encode(_ pairs: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return pairs.map {
            ($0.0.addingPercentEncoding(withAllowedCharacters: allowed) ?? "") + "="
                + ($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")
        }.joined(separator: "&")
    }
}

extension TestResponse {
    /// The first hidden CSRF field's value in the page.
    var csrf: String? {
        guard let match = text.firstMatch(of: #/name="csrf" value="([^"]*)"/#) else { return nil }
        return String(match.output.1)
    }
}
