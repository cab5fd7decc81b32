import Foundation
import Testing

@testable import PassageCore

/// The provider directory as an Open Referral HSDS 3 tabular data package (issue 25): what
/// `HSDSPackage.render` writes, `parse` reads back equal; every problem of a package is named by
/// file, line and column. (Validation with frictionless against HSDS 3.1 and the round trip
/// through the database: Tests/Shell/provider-hsds.sh.)
@Suite("HSDS 3 data package")
struct HSDSPackageTests {
    static let known: Set<String> = ["health", "legal_assistance", "safe_shelter"]
    static let terms = [
        ServiceTypeTerm(code: "health", meaning: "health"),
        ServiceTypeTerm(code: "legal_assistance", meaning: "legal assistance"),
        ServiceTypeTerm(code: "safe_shelter", meaning: "physical safety / safe shelter"),
    ]

    static let providers = [
        DirectoryProvider(
            organizationID: "0e940211-e7d9-479e-a6f6-4c6192a318fe", serviceID: "1b7c28f4-8c33-4b7e-9a43-3d0f9a1f7b01",
            entry: ProviderEntry(
                name: "Clínica Norte", status: "active", capacity: 20, description: "walk-in, \"free\"",
                services: ["health", "legal_assistance"], areas: ["CO-ANT", "CO-BOL"]),
            capacityStated: "2026-12-05T19:37:45Z",
            locations: [
                ProviderLocation(
                    id: "4f1c2d3e-0000-4000-8000-000000000001", name: "Sede Medellín",
                    address: PostalAddress(
                        street: "Calle 10 # 43-12", city: "Medellín", stateProvince: "Antioquia", postalCode: "050021",
                        country: "CO"),
                    latitude: "6.251840", longitude: "-75.563591"),
                ProviderLocation(id: "4f1c2d3e-0000-4000-8000-000000000002", type: "virtual", name: "Línea"),
            ],
            phones: [
                ProviderPhone(
                    id: "4f1c2d3e-0000-4000-8000-000000000003", locationID: "4f1c2d3e-0000-4000-8000-000000000001",
                    number: "+57 604 444 1234", extensionNumber: 12, type: "voice", description: "reception"),
                ProviderPhone(id: "4f1c2d3e-0000-4000-8000-000000000004", number: "018000 112 233"),
            ],
            contacts: [
                ProviderContact(
                    id: "4f1c2d3e-0000-4000-8000-000000000005", name: "Ana Gómez", title: "referral focal point",
                    email: "ana@clinica-norte.example")
            ]),
        DirectoryProvider(
            organizationID: "5a0e6c1d-2b3f-4e5a-8c7d-9e0f1a2b3c4d", serviceID: "6b1f7d2e-3c4a-4f6b-9d8e-0f1a2b3c4d5e",
            entry: ProviderEntry(
                name: "=HYPERLINK(\"https://evil.example/\",\"call\")", status: "temporarily_closed", minimumAge: 0,
                maximumAge: 17, services: ["safe_shelter"], areas: ["CO-ANT"])),
    ]

    /// Name-based ids for the tests: the same name, the same id, within one run.
    static func render(_ providers: [DirectoryProvider]) -> [String: String] {
        var issued: [String: String] = [:]
        return HSDSPackage.render(providers, serviceTypes: terms) { name in
            if let id = issued[name] { return id }
            let id = String(format: "00000000-0000-4000-8000-%012d", issued.count + 1)
            issued[name] = id
            return id
        }
    }

    static func problems(_ files: [String: String]) -> [String] {
        do {
            _ = try HSDSPackage.parse(files, knownServices: known)
            return []
        } catch {
            return error.messages
        }
    }

    @Test("render → parse gives the same providers, and rendering those gives the same bytes")
    func roundTrip() throws {
        let files = Self.render(Self.providers)
        #expect(Set(files.keys) == Set(HSDSSchema.resources.map(\.path)).union(["datapackage.json"]))
        let read = try HSDSPackage.parse(files, knownServices: Self.known)
        #expect(read == Self.providers)
        #expect(Self.render(read) == files)
    }

    @Test("the service carries HSDS's status spelling; capacity is a service_capacity in open referrals")
    func serviceFields() throws {
        let files = Self.render(Self.providers)
        let services = try CSVRecords.parse(files["services.csv"]!).map(\.fields)
        #expect(services[0] == HSDSSchema.service.columns)
        #expect(services[1][8] == "active" && services[2][8] == "temporarily closed")
        #expect(services[2][16] == "0" && services[2][17] == "17")
        let capacity = try CSVRecords.parse(files["service_capacity.csv"]!).map(\.fields)
        #expect(capacity.count == 2)
        #expect(capacity[1][1] == Self.providers[0].serviceID && capacity[1][3] == "20" && capacity[1][4] == "20")
        #expect(capacity[1][6] == "2026-12-05T19:37:45Z")
        #expect(files["units.csv"]!.contains(",open referral,Passage,open_referral,"))
        #expect(HSDSStatus.passage("temporarily closed") == "temporarily_closed" && HSDSStatus.passage("closed") == nil)
    }

    @Test("every cell goes through the formula guard, and reads back as it was")
    func formulaGuard() throws {
        let files = Self.render(Self.providers)
        #expect(files["organizations.csv"]!.contains(#""'=HYPERLINK(""https://evil.example/"",""call"")""#))
        #expect(files["phones.csv"]!.contains(#""'+57 604 444 1234""#))
        for (name, text) in files where name.hasSuffix(".csv") {
            for fields in try CSVRecords.parse(text).map(\.fields) {
                CSVCellTests.expectNoFormula([fields])
            }
        }
    }

    @Test("the descriptor lists every table with HSDS's fields; a foreign key only to a table of the package")
    func descriptor() throws {
        let text = Self.render([])["datapackage.json"]!
        let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let resources = try #require(json["resources"] as? [[String: Any]])
        #expect(
            resources.map { $0["name"] as? String } == [
                "organization", "service", "service_area", "location", "address", "service_at_location", "phone",
                "contact", "taxonomy", "taxonomy_term", "attribute", "unit", "service_capacity",
            ])
        let service = try #require(resources[1]["schema"] as? [String: Any])
        let keys = try #require(service["foreignKeys"] as? [[String: Any]])
        #expect(keys.map { $0["fields"] as? String } == ["organization_id"])  // program_id: no program table
        let fields = try #require(service["fields"] as? [[String: Any]])
        let status = try #require(fields.first { $0["name"] as? String == "status" })
        let constraints = try #require(status["constraints"] as? [String: Any])
        #expect(constraints["enum"] as? [String] == ["active", "inactive", "defunct", "temporarily closed"])
    }

    /// The package with `table`'s file changed by `edit`.
    static func edited(_ path: String, _ edit: (String) -> String) -> [String: String] {
        var files = render(providers)
        files[path] = edit(files[path]!)
        return files
    }

    @Test("cell problems: each named by file, line and column; nothing read")
    func cellProblems() {
        let files = Self.edited("services.csv") {
            $0.replacingOccurrences(of: ",temporarily closed,", with: ",temporarily_closed,")
                .replacingOccurrences(of: ",0,17,", with: ",x,17,")
        }
        #expect(
            Self.problems(files) == [
                #"services.csv line 3, column status: must be one of "active", "inactive", "defunct", "temporarily closed" (got "temporarily_closed")"#,
                "services.csv line 3, column minimum_age: expected a number (got x)",
            ])
        let phones = Self.edited("phones.csv") { $0 + "not-a-uuid,,,,,,12,,walkie-talkie,\n" }
        #expect(
            Self.problems(phones) == [
                "phones.csv line 4, column id: expected a UUID like 5f0c6a1e-… (got not-a-uuid)",
                "phones.csv line 4, column organization_id: needs the organization (or service) it belongs to",
            ])
    }

    @Test("links across tables: unknown service types, areas, units, a second service")
    func linkProblems() {
        let org = Self.providers[0].organizationID
        var files = Self.edited("service_areas.csv") { $0.replacingOccurrences(of: ",CO-BOL,", with: ",Bolívar,") }
        files["taxonomy_terms.csv"] = files["taxonomy_terms.csv"]!.replacingOccurrences(
            of: ",safe_shelter,", with: ",astrology,")
        files["units.csv"] = files["units.csv"]!.replacingOccurrences(of: ",open_referral,", with: ",bed,")
        files["services.csv"]! += "7c2a8e3f-4d5b-4a7c-8e9f-1a2b3c4d5e6f,\(org),,Second,,,,,active,,,,,,,,,,,,,,\n"
        #expect(
            Self.problems(files) == [
                "services.csv line 4, column organization_id: organization \(org) already has service \(Self.providers[0].serviceID): Passage keeps one service per provider organization",
                "taxonomy_terms.csv line 4, column code: unknown service type astrology (Passage's: health, legal_assistance, safe_shelter)",
                #"service_areas.csv line 3, column name: "Bolívar" is not an ISO 3166-2 code like CO-ANT"#,
                "service_capacity.csv line 2, column unit_id: Passage keeps capacity in open referrals: the unit must have scheme Passage and identifier open_referral",
            ])
    }

    @Test("a value Passage does not keep, an unknown column or table with rows, a path out of the package: refused")
    func refusedShapes() {
        let website = Self.edited("organizations.csv") {
            $0.replacingOccurrences(of: #"""free""",,"#, with: #"""free""",,https://x.example"#)
        }
        #expect(
            Self.problems(website) == [
                "organizations.csv line 2, column website: Passage keeps no organization.website; leave it empty to import"
            ])
        let column = Self.edited("contacts.csv") { $0.replacingOccurrences(of: "email\n", with: "email,phone\n") }
        #expect(
            Self.problems(column).first?.hasPrefix(
                #"contacts.csv line 1, column 10: "phone" is not a column of HSDS contact"#) == true)
        var program = Self.render(Self.providers)
        program["datapackage.json"] = program["datapackage.json"]!.replacingOccurrences(
            of: "\"resources\": [\n",
            with: "\"resources\": [\n    {\"name\": \"program\", \"path\": \"programs.csv\"},\n")
        program["programs.csv"] = "id,organization_id,name,description\nx,y,z,w\n"
        #expect(
            Self.problems(program) == [
                "datapackage.json: Passage keeps no HSDS program table, and programs.csv has rows (remove them to import)"
            ])
        let escape = Self.edited("datapackage.json") {
            $0.replacingOccurrences(of: "\"path\": \"phones.csv\"", with: "\"path\": \"../phones.csv\"")
        }
        #expect(
            Self.problems(escape) == [
                "datapackage.json: resource phone's path ../phones.csv must be a .csv file in the package directory"
            ])
        var none = Self.render(Self.providers)
        none["datapackage.json"] = nil
        #expect(Self.problems(none) == ["datapackage.json is missing: the directory is not a data package"])
    }

    @Test("coordinates: six decimal places, in range, both or neither")
    func coordinates() throws {
        let short = Self.edited("locations.csv") { $0.replacingOccurrences(of: "6.251840", with: "6.25184") }
        #expect(try HSDSPackage.parse(short, knownServices: Self.known)[0].locations[0].latitude == "6.251840")
        let bad = Self.edited("locations.csv") {
            $0.replacingOccurrences(of: "6.251840,-75.563591", with: "96.1,-75.1234567")
        }
        #expect(
            Self.problems(bad) == [
                "locations.csv line 2, column latitude: expected decimal degrees from -90 to 90 with at most 6 decimal places (got 96.1)",
                "locations.csv line 2, column longitude: expected decimal degrees from -180 to 180 with at most 6 decimal places (got -75.1234567)",
            ])
    }

    @Test("the flat CSV writes HSDS's `temporarily closed` and reads both spellings")
    func flatStatus() throws {
        let record = ProviderRecord(
            id: 1, name: "Casa", status: "temporarily_closed", capacity: nil, minimumAge: nil, maximumAge: nil,
            description: nil, services: ["health"], areas: ["CO-ANT"])
        let text = ProviderCSV.render([record])
        #expect(text.contains("Casa,temporarily closed,health"))
        #expect(try ProviderCSV.parse(text, knownServices: Self.known)[0].status == "temporarily_closed")
        let old = text.replacingOccurrences(of: "temporarily closed", with: "temporarily_closed")
        #expect(try ProviderCSV.parse(old, knownServices: Self.known)[0].status == "temporarily_closed")
    }
}
