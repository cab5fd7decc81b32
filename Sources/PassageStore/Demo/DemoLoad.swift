import Foundation
import PassageCore
import Postgres

/// Loads a synthetic population (`passage demo`, `passage serve --demo`) in one transaction:
/// organisations and providers by plain INSERTs (a few hundred rows), then cases, needs,
/// referrals and referral events through one COPY each. The generator is run once per COPY
/// rather than its output kept: a million cases stream through in constant memory.
public struct DemoLoad: Sendable {
    public struct Report: Sendable {
        public var cases = 0
        public var needs = 0
        public var referrals = 0
        public var referralEvents = 0
        public var providers = 0
        public var organisations = 0
        public var byCategory: [String: Int] = [:]
        public var loading: Duration = .zero
        /// Time of each COPY (cases, needs, referrals, referral_events), then of the rest.
        public var phases: [(String, Duration)] = []
    }

    public let classifier: Classifier
    public init(classifier: Classifier = Classifier()) { self.classifier = classifier }

    /// The service-to-need table the generator matches referrals with (the database's own).
    public static func serviceNeeds(on connection: PostgresConnection) throws -> [String: [String]] {
        var table: [String: [String]] = [:]
        for row in try connection.query("SELECT service, need FROM service_type_needs ORDER BY service, need") {
            let (service, need) = try row.decode((String, String).self)
            table[service, default: []].append(need)
        }
        return table
    }

    /// Loads `population`; refuses (StoreError.duplicate) when its first case is already stored.
    public func run(_ population: DemoPopulation, actor: String, on connection: PostgresConnection) throws -> Report {
        var report = Report()
        let clock = ContinuousClock()
        report.loading = try clock.measure {
            try connection.transaction { connection in
                var phaseStart = clock.now
                // Nobody else adds rows to these tables meanwhile: the ids below are chosen here.
                try connection.execute(
                    "LOCK TABLE cases, needs, referrals, referral_events IN SHARE ROW EXCLUSIVE MODE")
                let organisations = try population.organisations.map {
                    try OrganisationStore.id(named: $0.name, create: true, on: connection)
                }
                if population.caseCount > 0 {
                    let first = population.demoCase(at: 0)
                    if try !connection.query(
                        "SELECT 1 FROM cases WHERE organisation_id = \(organisations[first.organisation]) AND ref = \(first.ref)"
                    ).isEmpty {
                        throw StoreError.duplicate(
                            "the demo population with seed \(population.seed) is already loaded (case \(first.ref) exists); choose another --seed"
                        )
                    }
                }
                let providers = try population.providers.map { try provider($0, on: connection) }
                report.providers = providers.count
                report.organisations = organisations.count + providers.count
                let ids = try IdBases(on: connection)
                var copy = DemoCopy(
                    population: population, organisations: organisations, providers: providers.map(\.id),
                    providerOrganisations: providers.map(\.organisation), ids: ids, classifier: classifier)
                func phase(_ name: String) {
                    report.phases.append((name, clock.now - phaseStart))
                    phaseStart = clock.now
                }
                phase("organisations and providers")
                report.byCategory = try copy.cases(on: connection)
                report.cases = population.caseCount
                phase("cases")
                report.needs = try copy.needs(on: connection)
                phase("needs")
                report.referrals = try copy.referrals(on: connection)
                phase("referrals")
                report.referralEvents = try copy.events(on: connection)
                phase("referral events")
                try ids.advanceSequences(on: connection)
                try connection.execute("ANALYZE cases")
                try connection.execute("ANALYZE needs")
                try connection.execute("ANALYZE referrals")
                phase("sequences and statistics")
                try AuditLog.append(
                    actor: actor, action: .demoLoad, subject: "demo:\(population.seed)", source: "local",
                    detail: "\(report.cases) synthetic cases, \(report.needs) needs, \(report.referrals) referrals",
                    on: connection)
            }
        }
        return report
    }

    /// The provider behind an organisation of the provider's name, created with its services,
    /// areas, capacity and status when new; an existing one gains any missing service or area.
    private func provider(_ provider: DemoProvider, on connection: PostgresConnection) throws -> (
        id: Int64, organisation: Int64
    ) {
        let organisation = try OrganisationStore.id(named: provider.name, create: true, on: connection)
        let capacity = provider.capacity.map { Int32($0) }
        try connection.execute(
            """
            INSERT INTO providers (organisation_id, status, capacity, description)
            VALUES (\(organisation), \(provider.status), \(capacity), \(provider.description))
            ON CONFLICT (organisation_id) DO NOTHING
            """)
        let id = try connection.query("SELECT id FROM providers WHERE organisation_id = \(organisation)")[0].decode(
            Int64.self)
        try connection.execute(
            """
            INSERT INTO provider_services (provider_id, service) SELECT \(id), unnest(\(provider.services)::text[])
            ON CONFLICT DO NOTHING
            """)
        try connection.execute(
            """
            INSERT INTO provider_areas (provider_id, area) SELECT \(id), unnest(\(provider.areas)::text[])
            ON CONFLICT DO NOTHING
            """)
        return (id, organisation)
    }
}

/// The first free id of each table loaded with explicit ids, and moving the sequences past them.
struct IdBases {
    var cases: Int64
    var needs: Int64
    var referrals: Int64
    var events: Int64

    init(on connection: PostgresConnection) throws {
        func base(_ table: SQLFragment, _ sequence: SQLFragment) throws -> Int64 {
            try connection.query(
                """
                SELECT greatest((SELECT coalesce(max(id), 0) FROM \(table)),
                                (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM \(sequence))) + 1
                """)[0].decode(Int64.self)
        }
        cases = try base(SQLFragment("cases"), SQLFragment("cases_id_seq"))
        needs = try base(SQLFragment("needs"), SQLFragment("needs_id_seq"))
        referrals = try base(SQLFragment("referrals"), SQLFragment("referrals_id_seq"))
        events = try base(SQLFragment("referral_events"), SQLFragment("referral_events_id_seq"))
    }

    func advanceSequences(on connection: PostgresConnection) throws {
        try connection.execute(
            "SELECT setval('cases_id_seq', greatest(1, (SELECT coalesce(max(id), 0) FROM cases)), (SELECT count(*) > 0 FROM cases))"
        )
        try connection.execute(
            "SELECT setval('needs_id_seq', greatest(1, (SELECT coalesce(max(id), 0) FROM needs)), (SELECT count(*) > 0 FROM needs))"
        )
        try connection.execute(
            "SELECT setval('referrals_id_seq', greatest(1, (SELECT coalesce(max(id), 0) FROM referrals)), (SELECT count(*) > 0 FROM referrals))"
        )
        try connection.execute(
            "SELECT setval('referral_events_id_seq', greatest(1, (SELECT coalesce(max(id), 0) FROM referral_events)), (SELECT count(*) > 0 FROM referral_events))"
        )
    }
}
