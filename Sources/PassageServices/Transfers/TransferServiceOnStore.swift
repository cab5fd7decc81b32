import PassageCore
import PassageStore
import Postgres

/// TransferService over PassageStore. Proposing, declining, cancelling and listing run in the
/// actor's organisation scope; requesting and accepting run outside it (the receiving side
/// cannot see the case before it owns it), with the organisation checks in TransferStore's SQL.
struct TransferServiceOnStore: TransferService {
    let store: StoreWork
    let transfers: TransferStore
    /// Requests per user: a request names another organisation's case id and its answer tells
    /// whether that organisation holds it (Docs/transfers.md "Requests"), so asking is kept to a
    /// caseworker's pace — ten at once, then one a minute — and every miss is audited.
    var requestLimit: BulkReadLimit? = Self.requestLimit()

    static func requestLimit(
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) -> BulkReadLimit {
        BulkReadLimit(
            rowsPerMinute: 1, burst: 10, refusal: "transfer request limit: 10, then 1 a minute per user", now: now)
    }

    func propose(caseID: Int64, to: String, reason: TransferReason, consented: Bool, by actor: Actor)
        async throws(ServiceError) -> TransferRecord
    {
        try actor.require(.proposeTransfer)
        guard consented else {
            throw .consentRequired(
                "a transfer shares the person's case with another organisation: consent=yes required")
        }
        let transfers = self.transfers
        return try await store.scoped(actor) { connection, organisation in
            let target = try transfers.organisation(named: to, on: connection)
            try TransferStore.supersedeRequests(
                personsOfCases: [caseID], owner: organisation, by: actor.name, source: actor.source, on: connection)
            let record = try transfers.propose(
                caseID: caseID, to: target, reason: reason.rawValue, by: actor.name, organisation: organisation,
                on: connection)
            try AuditLog.append(
                actor: actor.name, action: .transferPropose, subject: "case:\(caseID)", source: actor.source,
                detail: "transfer \(record.id) to \(to) reason \(reason.rawValue) consent yes", on: connection)
            return record
        }
    }

    func request(caseID: Int64, from owner: String, reason: TransferReason, by actor: Actor)
        async throws(ServiceError) -> TransferRecord
    {
        try actor.require(.requestTransfer)
        try requestLimit?.admit(actor.name)
        requestLimit?.charge(actor.name, rows: 0)
        let transfers = self.transfers
        do {
            return try await store.transaction(actor) { connection in
                let organisation = try Self.organisationID(of: actor, transfers, on: connection)
                let ownerID = try transfers.organisation(named: owner, on: connection)
                let record = try transfers.request(
                    caseID: caseID, owner: ownerID, reason: reason.rawValue, by: actor.name,
                    organisation: organisation, on: connection)
                try AuditLog.append(
                    actor: actor.name, action: .transferRequest, subject: "case:\(caseID)", source: actor.source,
                    detail: "transfer \(record.id) from \(owner) reason \(reason.rawValue)", on: connection)
                return record
            }
        } catch .notFound(let message) {
            // A miss is what probing case ids looks like: kept in the audit trail (its own
            // transaction; the request's rolled back).
            _ = try? await store.transaction(actor) { connection in
                try AuditLog.append(
                    actor: actor.name, action: .transferRequest, subject: "case:\(caseID)", source: actor.source,
                    detail: "refused: no such case at \(owner)", on: connection)
            }
            throw .notFound(message)
        }
    }

    func accept(_ id: Int64, consented: Bool, by actor: Actor) async throws(ServiceError) -> TransferRecord {
        try actor.require(.acceptTransfer)
        let transfers = self.transfers
        return try await store.transaction(actor) { connection in
            let organisation = try Self.organisationID(of: actor, transfers, on: connection)
            let record = try Self.deciding {
                try transfers.accept(
                    id: id, consent: consented, by: actor.name, organisation: organisation, on: connection)
            }
            try AuditLog.append(
                actor: actor.name, action: .transferAccept, subject: "case:\(record.caseID)", source: actor.source,
                detail: "transfer \(id) from \(record.from) to \(record.to)", on: connection)
            return record
        }
    }

    func decline(_ id: Int64, reason: TransferEndReason?, by actor: Actor) async throws(ServiceError) -> TransferRecord
    {
        try actor.require(.declineTransfer)
        let transfers = self.transfers
        return try await store.scoped(actor) { connection, organisation in
            let record = try Self.deciding {
                try transfers.decline(
                    id: id, reason: reason?.rawValue, by: actor.name, organisation: organisation, on: connection)
            }
            try AuditLog.append(
                actor: actor.name, action: .transferDecline, subject: "case:\(record.caseID)", source: actor.source,
                detail: "transfer \(id)" + (reason.map { " reason \($0.rawValue)" } ?? ""), on: connection)
            return record
        }
    }

    func cancel(_ id: Int64, reason: TransferEndReason, by actor: Actor) async throws(ServiceError) -> TransferRecord {
        try actor.require(.cancelTransfer)
        let transfers = self.transfers
        return try await store.scoped(actor) { connection, organisation in
            let record = try transfers.cancel(
                id: id, reason: reason.rawValue, by: actor.name, organisation: organisation, on: connection)
            try AuditLog.append(
                actor: actor.name, action: .transferCancel, subject: "case:\(record.caseID)", source: actor.source,
                detail: "transfer \(id) reason \(reason.rawValue)", on: connection)
            return record
        }
    }

    func list(caseID: Int64?, after: Int64?, limit: Int?, by actor: Actor) async throws(ServiceError)
        -> [TransferRecord]
    {
        try actor.require(.listTransfers)
        let transfers = self.transfers
        return try await store.scoped(actor) { connection, organisation in
            let records = try transfers.list(
                caseID: caseID, organisation: organisation, after: after, limit: limit, on: connection)
            try AuditLog.append(
                actor: actor.name, action: .transferList, subject: caseID.map { "case:\($0)" } ?? "transfers",
                source: actor.source, detail: "\(records.count) transfers", on: connection)
            return records
        }
    }

    func owners(ofCase caseID: Int64, by actor: Actor) async throws(ServiceError) -> [CaseOwnership] {
        try actor.require(.caseOwners)
        let transfers = self.transfers
        return try await store.scoped(actor) { connection, organisation in
            let owners = try transfers.owners(caseID: caseID, organisation: organisation, on: connection)
            try AuditLog.append(
                actor: actor.name, action: .transferList, subject: "case:\(caseID)", source: actor.source,
                detail: "\(owners.count) owners", on: connection)
            return owners
        }
    }

    static func organisationID(of actor: Actor, _ transfers: TransferStore, on connection: PostgresConnection) throws
        -> Int64
    {
        if let id = actor.organisationID { return id }
        return try transfers.organisation(named: actor.organisation, on: connection)
    }

    /// The store's refusals of a decision as service outcomes.
    static func deciding(_ body: () throws -> TransferRecord) throws -> TransferRecord {
        do {
            return try body()
        } catch let error as TransferSideError {
            throw ServiceError.permissionDenied(error.description)
        } catch let error as TransferConsentMissing {
            throw ServiceError.consentRequired(error.description)
        }
    }
}
