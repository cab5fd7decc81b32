import PassageCore
import PassageStore
import Postgres

/// StatisticsService over PassageStore: each use case one transaction with its scope and audit entry.
struct StatisticsServiceOnStore: StatisticsService {
    let store: StoreWork
    var statistics = StatisticsStore()
    /// Heavy queries one user, and the server, may run at once (nil: no limit, the command line).
    var gate: HeavyQueryLimit?
    /// The read standby the counting runs on, when the server has one (`--read-database-url`).
    var replica: ReadReplica?

    func aggregates(_ request: AggregateRequest, by actor: Actor) async throws(ServiceError) -> StatisticsExport {
        try actor.require(.statistics)
        let validated: StatisticsRequest
        do {
            validated = try StatisticsRequest(
                of: request.of, by: request.by.isEmpty ? nil : request.by.joined(separator: ","), k: request.k,
                dp: request.dp, totals: request.totals, from: request.from, to: request.to,
                filters: request.filters.map { (dimension: $0.dimension, value: $0.value) })
        } catch {
            throw StoreWork.serviceError(for: error)
        }
        let statistics = self.statistics
        guard let replica else {
            return try await gated(actor) { () async throws(ServiceError) -> StatisticsExport in
                try await store.transaction(actor) { connection in
                    try statistics.export(
                        validated, organisation: try Self.counted(for: actor, on: connection), actor: actor.name,
                        source: actor.source, on: connection)
                }
            }
        }
        // With a read standby (Docs/architecture.md "Heavy reads on a standby"): the counting,
        // the expensive part, runs there read-only as of the release boundary; the release —
        // its definition, kept cells, budget and audit entries — is made on the primary from
        // those counts in one transaction, where cells already kept for the release win.
        return try await gated(actor) { () async throws(ServiceError) -> StatisticsExport in
            let read: ReplicaRead<ReleaseCount>
            do {
                read = try await replica.read(
                    primary: store.pool, replayedPast: statistics.releasePeriod.cutoff(at: statistics.now())
                ) { connection in
                    try statistics.count(
                        validated, organisation: try Self.counted(for: actor, on: connection), on: connection)
                }
            } catch {
                throw StoreWork.serviceError(for: error)
            }
            let counted = read.value
            var export = try await store.transaction(actor) { connection in
                try statistics.export(
                    validated, organisation: try Self.counted(for: actor, on: connection), actor: actor.name,
                    source: actor.source, counted: counted, on: connection)
            }
            export.readSource = read.source
            return export
        }
    }

    func microdata(_ request: MicrodataRequest, by actor: Actor) async throws(ServiceError) -> MicrodataExport {
        // The STATS roles: microdata is the same release's anonymised rows (no console command of its own).
        try actor.require(.statistics)
        let statistics = self.statistics
        return try await gated(actor) { () async throws(ServiceError) -> MicrodataExport in
            try await store.transaction(actor) { connection in
                try statistics.microdata(
                    k: request.k ?? MicrodataParameters.defaultK, lDiversity: request.lDiversity, from: request.from,
                    to: request.to, organisation: try Self.counted(for: actor, on: connection), actor: actor.name,
                    source: actor.source, on: connection)
            }
        }
    }

    /// `body` within the heavy-query limit of the actor, when there is one (`busy` beyond it).
    private func gated<T>(_ actor: Actor, _ body: () async throws(ServiceError) -> T) async throws(ServiceError) -> T {
        guard let gate else { return try await body() }
        return try await gate.admitting(actor.name, body)
    }

    func privacyPolicy(of organisation: String?, by actor: Actor) async throws(ServiceError) -> PrivacyPolicyStanding {
        try await store.transaction(actor) { connection in
            let scope = PrivacyPolicy.scope(
                organisation: try organisation.map {
                    try OrganisationStore.id(named: $0, create: false, on: connection)
                })
            return Self.standing(scope, try PrivacyPolicy.current(scope: scope, on: connection))
        }
    }

    func setPrivacyPolicy(
        of organisation: String?, epsilon: Double?, budget: Double?,
        by actor: Actor
    ) async throws(ServiceError) -> PrivacyPolicyStanding {
        guard actor.role == .admin else { throw .permissionDenied("only an administrator sets a privacy policy") }
        let policy: PrivacyPolicy?
        switch (epsilon, budget) {
        case (nil, nil): policy = nil
        case (let epsilon?, let budget?):
            do { policy = try PrivacyPolicy(epsilon: epsilon, budget: budget) } catch {
                throw StoreWork.serviceError(for: error)
            }
        case (nil, _): throw .badArgument(argument: "epsilon", message: "epsilon and budget go together")
        case (_, nil): throw .badArgument(argument: "budget", message: "epsilon and budget go together")
        }
        return try await store.transaction(actor) { connection in
            let scope = PrivacyPolicy.scope(
                organisation: try organisation.map {
                    try OrganisationStore.id(named: $0, create: false, on: connection)
                })
            try PrivacyPolicy.set(policy, scope: scope, actor: actor.name, source: actor.source, on: connection)
            return Self.standing(scope, try PrivacyPolicy.current(scope: scope, on: connection))
        }
    }

    /// Whose rows the actor's figures count: every organisation's for policy staff (nil), else
    /// the actor's organisation's (an unknown name is `notFound`).
    static func counted(for actor: Actor, on connection: PostgresConnection) throws -> Int64? {
        guard actor.role != .policy else { return nil }
        if let known = actor.organisationID { return known }
        return try OrganisationStore.id(named: actor.organisation, create: false, on: connection)
    }

    static func standing(_ scope: String, _ policy: PrivacyPolicy?) -> PrivacyPolicyStanding {
        PrivacyPolicyStanding(scope: scope, epsilon: policy?.epsilon, budget: policy?.budget)
    }
}
