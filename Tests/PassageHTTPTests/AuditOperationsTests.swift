import Foundation
import HTTPTypes
import HummingbirdTesting
import PassageCore
import PassageServices
import Postgres
import Testing

/// `GET /v1/audit` (AUDIT TAIL) and `GET /v1/audit/verification` (AUDIT VERIFY): administrators
/// only; the tail's entries as the console lists them; a broken chain is a 409 naming the entry.
@Suite struct AuditOperationsTests {
    @Test func theTailIsTheNewestEntriesOldestFirst() async throws {
        try await HTTPFixture.with { _, client in
            let admin = try await client.signIn("admin")
            _ = try await client.signIn("caseworker")
            _ = try await client.signIn("analyst")
            let all = try await client.call(.get, "/v1/audit", as: admin)
            #expect(all.status == .ok)
            let entries = try #require(all.json?["items"] as? [[String: Any]])
            let ids = entries.compactMap { $0["id"] as? Int }
            #expect(ids == ids.sorted() && ids.count == entries.count)
            // Each sign-in opened a token session, in order, under the user who signed in.
            let opened = entries.filter { $0["action"] as? String == AuditAction.sessionOpen.rawValue }
            #expect(opened.map { $0["actor"] as? String } == ["admin", "caseworker", "analyst"])
            for item in entries {
                #expect(Set(item.keys) == ["id", "at", "actor", "action", "subject", "source", "detail"])
                #expect((item["at"] as? String).flatMap(ISO8601DateFormatter().date(from:)) != nil)
            }
            let response = try await client.call(.get, "/v1/audit?count=2", as: admin)
            let newest = try #require(response.json?["items"] as? [[String: Any]])
            #expect(newest.compactMap { $0["id"] as? Int } == Array(ids.suffix(2)))
        }
    }

    @Test func onlyAdministratorsReadOrVerifyTheTrail() async throws {
        try await HTTPFixture.with { _, client in
            for role in Role.allCases where role != .admin {
                let session = try await client.signIn(role.rawValue)
                #expect(try await client.call(.get, "/v1/audit", as: session).status == .forbidden, "\(role)")
                #expect(
                    try await client.call(.get, "/v1/audit/verification", as: session).status == .forbidden, "\(role)")
            }
            #expect(try await client.call(.get, "/v1/audit", as: nil).status == .unauthorized)
        }
    }

    @Test func aCountOutOfRangeIsNamed() async throws {
        try await HTTPFixture.with { _, client in
            let admin = try await client.signIn("admin")
            for count in ["0", "10001", "ten"] {
                let response = try await client.call(.get, "/v1/audit?count=\(count)", as: admin)
                #expect(response.status == .badRequest)
                #expect(response.json?["argument"] as? String == "count")
            }
        }
    }

    @Test func verificationCountsAnIntactChainAndNamesAnEditedEntry() async throws {
        try await HTTPFixture.with { fixture, client in
            let admin = try await client.signIn("admin")
            _ = try await client.signIn("caseworker")
            let intact = try await client.call(.get, "/v1/audit/verification", as: admin)
            #expect(intact.status == .ok)
            #expect(intact.json?["intact"] as? Bool == true)
            let count = try await fixture.pool.withConnection { connection in
                try connection.query("SELECT count(*) FROM audit_log")[0].decode(Int.self, at: 0)
            }
            #expect(count > 0 && intact.json?["entries"] as? Int == count)
            #expect(intact.json?["anchors"] is NSNull)

            let edited = try await fixture.pool.withConnection { connection in
                try connection.execute("ALTER TABLE audit_log DISABLE TRIGGER USER")
                let id = try connection.query("SELECT min(id) FROM audit_log")[0].decode(Int64.self, at: 0)
                try connection.execute("UPDATE audit_log SET detail = 'forged' WHERE id = \(id)")
                try connection.execute("ALTER TABLE audit_log ENABLE TRIGGER USER")
                return id
            }
            let broken = try await client.call(.get, "/v1/audit/verification", as: admin)
            #expect(broken.status == .conflict)
            #expect(broken.headers[.contentType] == "application/problem+json")
            #expect((broken.json?["detail"] as? String)?.contains("broken at entry \(edited)") == true)
        }
    }
}
