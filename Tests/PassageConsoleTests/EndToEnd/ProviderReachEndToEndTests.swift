import Foundation
import PassageConsole
import PassageCore
import Postgres
import TestSupport
import Testing

/// Issue 25: a provider's locations, phones and contacts set and read over the console — only
/// administrators change them, casework reads them, every value checked with the argument named,
/// nothing half-written, each change audited — and carried by the HSDS 3 package: set over the
/// console → `passage provider export --hsds` → import into another database → export: the same files.
@Suite("Provider locations, phones and contacts end to end")
struct ProviderReachEndToEndTests {
    static func count(_ conninfo: String, _ table: String) throws -> Int {
        let db = try PostgresConnection.connect(conninfo)
        defer { db.close() }
        return try db.query("SELECT count(*) FROM \(identifier: table)")[0].decode(Int.self, at: 0)
    }

    @Test("set by the administrator, read by casework, refused values name their argument, audited, removed")
    func setReadRemove() async throws {
        try await LiveServer.with { server in
            try await server.session(as: "adm") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("PROVIDER ADD Norte services=health areas=CO-ANT").code == 250)
                let location = try await client.request(
                    "PROVIDER LOCATION 1 name=\"Sede Medellín\" street=\"Calle 10 # 43-12\" city=Medellín region=Antioquia postcode=050021 country=CO latitude=6.25184 longitude=-75.56359"
                )
                #expect(location.code == 250 && location.text.contains("location=1"), "\(location.text)")
                let phone = try await client.request(
                    "PROVIDER PHONE 1 \"+57 604 444 1234\" extension=12 type=voice description=\"intake desk\" location=1"
                )
                #expect(phone.code == 250 && phone.text.contains("phone=1"), "\(phone.text)")
                let contact = try await client.request(
                    "PROVIDER CONTACT 1 name=\"Ana Gómez\" title=\"referral focal point\" email=ana@norte.example.org")
                #expect(contact.code == 250 && contact.text.contains("contact=1"), "\(contact.text)")

                // Every refusal names its argument, and writes nothing.
                for (line, argument) in [
                    ("PROVIDER PHONE 1 \"call us\"", "number"),
                    ("PROVIDER PHONE 1 \"+57 604 444 1234\" location=99", "location"),
                    ("PROVIDER PHONE 1 \"+57 604\" type=carrier-pigeon", "type"),
                    ("PROVIDER CONTACT 1 email=ana@", "email"),
                    ("PROVIDER CONTACT 1", "name"),
                    ("PROVIDER LOCATION 1 name=X latitude=91 longitude=0", "latitude"),
                    ("PROVIDER LOCATION 1 name=X latitude=6.2 longitude=-181", "longitude"),
                    ("PROVIDER LOCATION 1 name=X latitude=6.1234567 longitude=1", "latitude"),
                    ("PROVIDER LOCATION 1 name=X latitude=6.2", "longitude"),
                    ("PROVIDER LOCATION 1 street=\"Calle 1\" city=Cali", "region"),
                    ("PROVIDER LOCATION 1 street=a city=b region=c postcode=d country=XX", "country"),
                    ("PROVIDER LOCATION 1 name=\"line\\nbreak\"", "name"),
                    ("PROVIDER LOCATION 1", "name"),
                ] {
                    let reply = try await client.request(line)
                    #expect(reply.code == 501 && reply.text.contains(argument), "\(line) → \(reply.text)")
                }
                #expect(try await client.request("PROVIDER LOCATION 7 name=X").code == 550)
                #expect(try await client.request("PROVIDER REMOVE 1 contact 9").code == 550)
                // A location with a phone at it stays until the phone goes.
                let busy = try await client.request("PROVIDER REMOVE 1 location 1")
                #expect(busy.code == 551 && busy.text.contains("phone 1"), "\(busy.text)")
            }
            #expect(try Self.count(server.conninfo, "provider_locations") == 1)
            #expect(try Self.count(server.conninfo, "provider_phones") == 1)
            #expect(try Self.count(server.conninfo, "provider_contacts") == 1)

            try await server.session(as: "cw") { (client: ConsoleClient) async throws -> Void in
                let shown = try await client.request("PROVIDER SHOW 1")
                #expect(shown.code == 250)
                #expect(
                    shown.data == [
                        "provider: Norte (active)", "services: health", "areas: CO-ANT", "capacity: not stated",
                        "location 1: Sede Medellín (physical): Calle 10 # 43-12, Medellín, Antioquia 050021, CO; 6.251840, -75.563590",
                        "phone 1: +57 604 444 1234 ext. 12 (voice), intake desk, at location 1",
                        "contact 1: Ana Gómez, referral focal point, ana@norte.example.org",
                    ], "\(shown.data)")
                #expect(try await client.request("PROVIDER PHONE 1 \"+57 300 000 0000\"").code == 530)
                #expect(try await client.request("PROVIDER REMOVE 1 phone 1").code == 530)
                #expect(try await client.request("PROVIDER SHOW 2").code == 550)
            }
            try await server.session(as: "an") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("PROVIDER SHOW 1").code == 530)
            }
            try await server.session(as: "adm") { (client: ConsoleClient) async throws -> Void in
                #expect(try await client.request("PROVIDER REMOVE 1 phone 1").code == 250)
                #expect(try await client.request("PROVIDER REMOVE 1 location 1").code == 250)
                #expect(try await client.request("PROVIDER REMOVE 1 phone 1").code == 550)
                let shown = try await client.request("PROVIDER SHOW 1")
                #expect(!shown.data.contains { $0.hasPrefix("location") || $0.hasPrefix("phone") })
                #expect(shown.data.contains { $0.hasPrefix("contact 1: ") })
            }
            let db = try PostgresConnection.connect(server.conninfo)
            defer { db.close() }
            let audited = try db.query(
                "SELECT action, subject, detail FROM audit_log WHERE action LIKE 'provider.%.%' ORDER BY id"
            ).map { try $0.decode((String, String, String?).self) }
            #expect(
                audited.map { "\($0.0) \($0.1) \($0.2 ?? "")" } == [
                    "provider.location.add provider:1 location 1", "provider.phone.add provider:1 phone 1",
                    "provider.contact.add provider:1 contact 1", "provider.phone.remove provider:1 phone 1",
                    "provider.location.remove provider:1 location 1",
                ])
        }
    }

    @Test("set over the console, exported as HSDS, imported elsewhere, exported again: the same package")
    func hsdsRoundTrip() async throws {
        let passage = try NetcatShellTests.passageBinary()
        let schema = NetcatShellTests.repository.appendingPathComponent("Schema").path
        let first = NSTemporaryDirectory() + "passage-reach-\(UUID().uuidString)"
        let second = NSTemporaryDirectory() + "passage-reach-\(UUID().uuidString)"
        defer { for path in [first, second] { try? FileManager.default.removeItem(atPath: path) } }
        try await LiveServer.with { server in
            try await server.session(as: "adm") { (client: ConsoleClient) async throws -> Void in
                for line in [
                    "PROVIDER ADD Norte services=health,psychosocial areas=CO-ANT capacity=12",
                    "PROVIDER ADD Sur services=legal_assistance areas=CO-VAC",
                    "PROVIDER LOCATION 1 name=\"Sede Medellín\" street=\"Calle 10 # 43-12\" city=Medellín region=Antioquia postcode=050021 country=CO latitude=6.25184 longitude=-75.56359",
                    "PROVIDER LOCATION 1 name=\"Línea virtual\" type=virtual",
                    "PROVIDER PHONE 1 \"+57 604 444 1234\" extension=12 type=voice description=\"intake desk\" location=1",
                    "PROVIDER PHONE 1 \"+57 300 555 0101\" type=cell",
                    "PROVIDER CONTACT 1 name=\"Ana Gómez\" title=\"referral focal point\" department=Protección email=ana@norte.example.org",
                    "PROVIDER CONTACT 2 email=intake@sur.example.org",
                ] {
                    let reply = try await client.request(line)
                    #expect(reply.code == 250, "\(line) → \(reply.text)")
                }
            }
            let (exported, output) = try await PythonCheck.runProgram(
                passage,
                ["provider", "export", "--hsds", first, "--database-url", server.conninfo, "--schema-dir", schema])
            #expect(exported == 0, "\(output)")
        }
        let files = ["locations.csv", "addresses.csv", "phones.csv", "contacts.csv"]
        let read = { (directory: String, file: String) in
            (try? String(contentsOfFile: directory + "/" + file, encoding: .utf8)) ?? "(missing \(file))"
        }
        #expect(read(first, "locations.csv").contains(",Sede Medellín,"), "\(read(first, "locations.csv"))")
        #expect(read(first, "locations.csv").contains("6.251840,-75.563590"))
        // (A leading + is quoted against formula injection, and the import removes the quote again.)
        #expect(
            read(first, "phones.csv").contains("+57 604 444 1234\",12,voice,intake desk"),
            "\(read(first, "phones.csv"))")
        #expect(
            read(first, "contacts.csv").contains("Ana Gómez")
                && read(first, "contacts.csv").contains("ana@norte.example.org"),
            "\(read(first, "contacts.csv"))")
        #expect(read(first, "contacts.csv").contains("intake@sur.example.org"))

        // What was set over the console is a valid HSDS 3.1 package (frictionless, the vendored schema).
        let (valid, report) = try await PythonCheck.run(
            "check_hsds.py", [first, "organization", "service", "location", "service_at_location", "phone", "contact"])
        #expect(valid == 0, "\(report)")

        let other = try await MigratedDatabase.conninfo("provider_reach_round_trip_other")
        let (imported, importOutput) = try await PythonCheck.runProgram(
            passage, ["provider", "import", "--hsds", first, "--database-url", other, "--schema-dir", schema])
        #expect(imported == 0, "\(importOutput)")
        let (again, againOutput) = try await PythonCheck.runProgram(
            passage, ["provider", "export", "--hsds", second, "--database-url", other, "--schema-dir", schema])
        #expect(again == 0, "\(againOutput)")
        let names = try FileManager.default.contentsOfDirectory(atPath: first).sorted()
        #expect(names == (try FileManager.default.contentsOfDirectory(atPath: second).sorted()))
        for name in names + files {
            #expect(read(first, name) == read(second, name), "\(name) differs after the round trip")
        }
        #expect(try Self.count(other, "provider_phones") == 2 && Self.count(other, "provider_contacts") == 2)
    }
}
