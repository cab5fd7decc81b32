import Foundation
import PassageCore
import PassageServices
import PassageStore
import Postgres
import TestSupport
import Testing

/// The standard reports (StandardReports) over a real database: each report's figures against
/// counts computed here from the fixture's own definition (published values are perturbed by at
/// most D=3 and suppressed below k, zeros included), the byte-for-byte reproduction from the
/// manifest, a refusal when the content differs, and who may run them (as STATS).
@Suite(.serialized) struct StandardReportsTests {
    static let accounts: [(name: String, role: Role, organisation: String)] = [
        ("an", .analyst, "ngo-a"), ("pol", .policy, "ngo-a"), ("cw", .caseworker, "ngo-a"),
    ]

    /// One group of identical cases, with at most one need and referral each.
    struct Group {
        let origin: String
        let sex: String
        let age: Int
        let count: Int
        let need: (code: String, service: String, status: String)?
    }

    /// Sizes far apart, so that a figure in the wrong row or column cannot pass the ±3 bound.
    static let groups = [
        Group(origin: "SY", sex: "female", age: 30, count: 20, need: ("SM", "health", "completed")),
        Group(origin: "SY", sex: "female", age: 31, count: 15, need: ("SM", "health", "accepted")),
        Group(origin: "SY", sex: "female", age: 3, count: 12, need: nil),
        Group(origin: "SY", sex: "male", age: 40, count: 10, need: ("SM", "health", "pending")),
        Group(origin: "SY", sex: "male", age: 41, count: 30, need: ("LP-ND", "legal_assistance", "declined")),
        Group(origin: "AF", sex: "male", age: 70, count: 25, need: nil),
    ]

    static func band(_ age: Int) -> String {
        switch age {
        case ..<5: "0-4"
        case ..<12: "5-11"
        case ..<18: "12-17"
        case ..<60: "18-59"
        default: "60+"
        }
    }

    static func populate(_ fixture: ServiceFixture) async throws {
        try await fixture.pool.transaction { connection in
            let ngoA = try OrganisationStore.id(named: "ngo-a", create: true, on: connection)
            for group in groups {
                let ids = try StatisticsFixtures.insert(
                    Array(
                        repeating: FixtureCase(
                            category: "refugee_asylum", origin: group.origin, sex: group.sex, age: group.age),
                        count: group.count), organisation: ngoA, on: connection)
                if let need = group.need {
                    try StatisticsFixtures.needsAndReferrals(
                        cases: ids, code: need.code, service: need.service, status: need.status, organisation: ngoA,
                        on: connection)
                }
            }
        }
    }

    /// The true count of the groups `matching`.
    static func count(_ matching: (Group) -> Bool) -> Int {
        groups.filter(matching).map(\.count).reduce(0, +)
    }

    /// A published figure against its true count: a zero is never shown (suppressed), a count of
    /// k + D or more always is, and a shown figure is at least k and within `slack` of the truth.
    static func expectPublished(
        _ cell: SpreadsheetCell?, _ truth: Int, slack: Int = 3, _ what: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        switch cell {
        case .number(let value):
            #expect(
                truth > 0 && value >= 5 && abs(Int(value) - truth) <= slack, "\(what): \(value) for \(truth)",
                sourceLocation: sourceLocation)
        case .empty:
            #expect(truth < 5 + 3, "\(what): suppressed, but \(truth)", sourceLocation: sourceLocation)
        default:
            Issue.record("\(what): \(String(describing: cell))", sourceLocation: sourceLocation)
        }
    }

    static func row(_ report: StandardReport, _ first: String, _ second: String? = nil) -> [String: SpreadsheetCell] {
        let row = report.table.rows.first { row in
            row.first == .text(first) && (second == nil || row.dropFirst().first == .text(second!))
        }
        return Dictionary(uniqueKeysWithValues: zip(report.table.columns, row ?? []))
    }

    @Test("population: origin × sex × age band as UNHCR lays it out, with totals")
    func population() async throws {
        try await ServiceFixture.with(accounts: Self.accounts) { fixture in
            try await Self.populate(fixture)
            let report = try await StandardReports.make(
                ReportRequest(kind: .population), statistics: fixture.services.statistics, by: fixture.actor("an"))
            for origin in ["SY", "AF"] {
                let row = Self.row(report, origin)
                for sex in ReportLayout.sexes {
                    for band in ReportLayout.ageBands {
                        Self.expectPublished(
                            row["\(sex)_\(band)"],
                            Self.count { $0.origin == origin && $0.sex == sex && Self.band($0.age) == band },
                            "\(origin) \(sex) \(band)")
                    }
                    Self.expectPublished(
                        row["\(sex)_total"], Self.count { $0.origin == origin && $0.sex == sex }, "\(origin) \(sex)")
                }
                Self.expectPublished(row["total"], Self.count { $0.origin == origin }, "\(origin) total")
            }
            Self.expectPublished(Self.row(report, "total")["total"], Self.count { _ in true }, "grand total")
            #expect(report.csvLines.first?.hasPrefix("origin,female_0-4,female_5-11,") == true)
            #expect(report.protections.contains { $0.name == "cell_key_perturbation" })
            #expect(report.protections.contains { $0.name == "small_cell_suppression" })
        }
    }

    @Test("gbvims: needs (incidents) by code and sex, referrals by service and sex")
    func gbvims() async throws {
        try await ServiceFixture.with(accounts: Self.accounts) { fixture in
            try await Self.populate(fixture)
            let report = try await StandardReports.make(
                ReportRequest(kind: .gbvims), statistics: fixture.services.statistics, by: fixture.actor("pol"))
            for (section, field) in [("incidents", 0), ("referrals", 1)] {
                let codes = Set(Self.groups.compactMap { $0.need.map { field == 0 ? $0.code : $0.service } })
                for code in codes {
                    let row = Self.row(report, section, code)
                    let matching = { (group: Group, sex: String?) -> Bool in
                        guard let need = group.need else { return false }
                        return (field == 0 ? need.code : need.service) == code && (sex == nil || group.sex == sex)
                    }
                    for sex in ReportLayout.sexes {
                        Self.expectPublished(row[sex], Self.count { matching($0, sex) }, "\(section) \(code) \(sex)")
                    }
                    Self.expectPublished(row["total"], Self.count { matching($0, nil) }, "\(section) \(code) total")
                }
                Self.expectPublished(
                    Self.row(report, section, "total")["total"], Self.count { $0.need != nil }, "\(section) total")
            }
        }
    }

    /// Referrals of the pathway fixture: (service, status as it stands, how answered, count).
    /// At the boundary an answer given after it is no answer: those referrals are pending.
    static let pathway: [(service: String, status: String, answer: FixtureAnswer, count: Int)] = [
        ("health", "completed", .inTime, 20),
        ("health", "declined", .inTime, 12),
        ("health", "accepted", .late, 35),
        ("health", "cancelled", .late, 9),
        ("health", "pending", .never, 16),
        ("health", "cancelled", .never, 11),
        ("health", "accepted", .afterBoundary, 25),
        ("legal_assistance", "completed", .inTime, 40),
        ("legal_assistance", "declined", .late, 6),
        ("legal_assistance", "pending", .never, 3),
    ]

    static func populatePathway(_ fixture: ServiceFixture) async throws {
        try await fixture.pool.transaction { connection in
            let ngoA = try OrganisationStore.id(named: "ngo-a", create: true, on: connection)
            for (index, group) in pathway.enumerated() {
                let ids = try StatisticsFixtures.insert(
                    Array(repeating: FixtureCase(category: "refugee_asylum", origin: "SY"), count: group.count),
                    organisation: ngoA, refPrefix: "p\(index)", on: connection)
                try StatisticsFixtures.answeredReferrals(
                    cases: ids, code: group.service == "health" ? "SM" : "LP-ND", service: group.service,
                    status: group.status, answer: group.answer, organisation: ngoA, on: connection)
            }
        }
    }

    @Test("referrals: made, answered in time, late, not answered, and each status as of the boundary, by service")
    func referralPathway() async throws {
        try await ServiceFixture.with(accounts: Self.accounts) { fixture in
            try await Self.populatePathway(fixture)
            let actor = try await fixture.actor("an")
            let report = try await StandardReports.make(
                ReportRequest(kind: .referrals), statistics: fixture.services.statistics, by: actor)
            #expect(
                report.table.columns == [
                    "service", "made", "answered_in_time", "answered_late", "not_answered", "accepted", "declined",
                    "completed", "pending", "cancelled",
                ])
            for service in ["health", "legal_assistance", PublishedTable.total] {
                let row = Self.row(report, service)
                let of = { (matching: (String, FixtureAnswer) -> Bool) in
                    Self.pathway.filter {
                        (service == PublishedTable.total || $0.service == service) && matching($0.status, $0.answer)
                    }
                    .map(\.count).reduce(0, +)
                }
                // The status at the boundary: answered after it, still pending.
                let statusThen = { (status: String, answer: FixtureAnswer) in
                    answer == .afterBoundary ? "pending" : status
                }
                Self.expectPublished(row["made"], of { _, _ in true }, "\(service) made")
                Self.expectPublished(row["answered_in_time"], of { $1 == .inTime }, "\(service) in time")
                Self.expectPublished(row["answered_late"], of { $1 == .late }, "\(service) late")
                Self.expectPublished(
                    row["not_answered"], of { $1 == .never || $1 == .afterBoundary }, "\(service) not answered")
                for status in ["accepted", "declined", "completed", "pending", "cancelled"] {
                    Self.expectPublished(row[status], of { statusThen($0, $1) == status }, "\(service) \(status)")
                }
            }
            // Every figure is a cell STATS publishes from the same release: the response columns
            // are the cells of service × referral_response, and `made` is the service's margin,
            // the same cell in both tables of the report.
            let response = try await fixture.services.statistics.aggregates(
                AggregateRequest(of: "referrals", by: ["service", "referral_response"], totals: true), by: actor)
            let status = try await fixture.services.statistics.aggregates(
                AggregateRequest(of: "referrals", by: ["service", "referral_status"], totals: true), by: actor)
            #expect(response.release == report.release)
            let published = Dictionary(uniqueKeysWithValues: response.table.cells.map { ($0.values, $0.value) })
            let statusMargins = Dictionary(uniqueKeysWithValues: status.table.cells.map { ($0.values, $0.value) })
            for service in ["health", "legal_assistance"] {
                let row = Self.row(report, service)
                for (column, value) in [
                    ("answered_in_time", "in_time"), ("answered_late", "late"), ("not_answered", "none"),
                ] {
                    #expect(row[column] == .count(published[[service, value]] ?? nil), "\(service) \(column)")
                }
                let made = published[[service, PublishedTable.total]] ?? nil
                #expect(
                    made != nil && made == statusMargins[[service, PublishedTable.total]] ?? nil, "\(service) made")
                #expect(row["made"] == .count(made))
            }
            #expect(report.csvLines.contains { $0.hasPrefix("health,") })
        }
    }

    @Test("the manifest makes the same report byte for byte (CSV and XLSX); a different hash is refused")
    func reproductionFromTheManifest() async throws {
        try await ServiceFixture.with(accounts: Self.accounts) { fixture in
            try await Self.populate(fixture)
            try await Self.populatePathway(fixture)
            let actor = try await fixture.actor("an")
            for kind in ReportKind.allCases {
                let report = try await StandardReports.make(
                    ReportRequest(kind: kind, k: 6), statistics: fixture.services.statistics, by: actor)
                let workbook = try XLSXWorkbook.bytes(report.workbook)
                let manifest = report.manifest(xlsxSHA256: StandardReports.sha256(workbook))
                let object = try #require(
                    try JSONSerialization.jsonObject(with: Data(manifest.utf8)) as? [String: Any])
                #expect(object["release"] as? String == report.release)
                #expect((object["protections"] as? [String])?.isEmpty == false)
                #expect(
                    (object["content"] as? [String: String])?["csv_sha256"]
                        == StandardReports.sha256(Array(report.csvText.utf8)))

                let (request, hash) = try StandardReports.request(fromManifest: manifest)
                #expect(request == ReportRequest(kind: kind, k: 6))
                let again = try await StandardReports.reproduce(
                    request, expectedSHA256: hash, statistics: fixture.services.statistics, by: actor)
                #expect(Array(again.csvText.utf8) == Array(report.csvText.utf8))
                #expect(try XLSXWorkbook.bytes(again.workbook) == workbook)

                await #expect(throws: ServiceError.self) {
                    _ = try await StandardReports.reproduce(
                        request, expectedSHA256: String(repeating: "0", count: 64),
                        statistics: fixture.services.statistics, by: actor)
                }
            }
        }
    }

    @Test("who may: analysts and policy staff, as STATS; a caseworker is refused")
    func roles() async throws {
        try await ServiceFixture.with(accounts: Self.accounts) { fixture in
            #expect(UseCase.report.roles == UseCase.statistics.roles)
            do {
                _ = try await StandardReports.make(
                    ReportRequest(kind: .population), statistics: fixture.services.statistics,
                    by: fixture.actor("cw"))
                Issue.record("a caseworker made a report")
            } catch let error as ServiceError {
                guard case .permissionDenied = error else {
                    Issue.record("\(error)")
                    return
                }
            }
        }
    }
}
