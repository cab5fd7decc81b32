import Foundation
import PassageConsole
import PassageCore
import TestSupport
import Testing

/// PERSON SEARCH and PERSON SET's duplicate warning over TCP and PostgreSQL, as a caseworker
/// meets them: the reply lines, exactly.
@Suite("Person search end to end over TCP and PostgreSQL")
struct PersonSearchEndToEndTests {
    @Test("search before create: found across scripts; PERSON SET warns of the strong match; others see nothing")
    func searchAndWarning() async throws {
        try await LiveServer.with { server in
            try await server.session(as: "cw") { (client: ConsoleClient) async throws -> Void in
                for ref in ["se-1", "se-2"] {
                    let opened = try await client.request(
                        #"CASE NEW {"ref":"\#(ref)","current_country":"JO","sex":"female","nationality":"SY"}"#)
                    #expect(opened.code == 250, "\(opened.text)")
                }
                let first = try await client.request(
                    #"PERSON SET 1 name="Fatima Khalil Al-Masri" dob=1992-08-04 phone="+962 78 111 2233""#)
                #expect(first.lines == ["250 personal details recorded case=1"])

                let found = try await client.request(#"PERSON SEARCH name="فاطمة خليل المصري" dob=1992-08-04"#)
                #expect(found.code == 250, "\(found.lines)")
                #expect(found.dataTitle?.hasPrefix("people found") == true)
                #expect(found.data.count == 2)  // the header and one person
                #expect(found.data.last?.hasPrefix("1") == true && found.data.last?.contains("se-1") == true)
                #expect(found.data.last?.hasSuffix("true") == true, "\(found.data)")
                let weaker = try await client.request(#"PERSON SEARCH name="Fatima Masri" dob=1992"#)
                #expect(weaker.data.count == 2 && weaker.data.last?.hasSuffix("false") == true, "\(weaker.data)")

                let second = try await client.request(#"PERSON SET 2 name="Fatma Khaleel Masri" dob=1992-04-08"#)
                #expect(second.code == 250)
                #expect(second.info.count == 1)
                #expect(second.info.first?.hasPrefix("warning: may be the person of case 1 (ref se-1) (score ") == true)
                #expect(second.text == "personal details recorded case=2 possible_duplicates=1", "\(second.text)")

                let bad = try await client.request("PERSON SEARCH dob=1992-13")
                #expect(bad.code == 501 && bad.text.contains("dob"), "\(bad.text)")
                #expect(try await client.request("PERSON SEARCH").code == 501)
            }
            try await server.session(as: "cw-b") { (client: ConsoleClient) async throws -> Void in
                let elsewhere = try await client.request(#"PERSON SEARCH name="Fatima Masri" phone="0781112233""#)
                #expect(elsewhere.code == 250)
                #expect(elsewhere.data.count <= 1, "\(elsewhere.data)")
            }
            try await server.session(as: "an") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request(#"PERSON SEARCH name="Fatima""#).code == 530)
            }
        }
    }
}
