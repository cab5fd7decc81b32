import Foundation
import Logging
import PassageCore
import PassageStore
import Postgres

/// ErasureService over PassageStore and the keyring. An erasure is two steps in two databases:
/// (1) one case-database transaction marks the person erased, erases the notes and appends the
/// audit entry; (2) the keyring entry is destroyed and the mark's `key_destruction_pending`
/// cleared. A failure between them leaves the person erased for every reader (the mark is read
/// first) and the reconciler destroys the key later (`finishPendingErasures`, at start and in
/// every sweep).
struct ErasureServiceOnStore: ErasureService {
    let store: StoreWork
    let erasure: ErasureStore
    let keyring: PersonKeyring
    var logger = Logger(label: "passage.erasure")

    /// Persons a sweep handles per query.
    static let sweepBatch = 200

    func erase(personOfCase caseID: Int64, reason: ErasureReason, by actor: Actor) async throws(ServiceError)
        -> ErasureOutcome
    {
        try actor.require(.erasePerson)
        let marked = try await mark(caseID: caseID, organisation: nil, reason: reason, by: actor)
        let destroyed = await destroyKeys(marked)
        return ErasureOutcome(persons: marked.personIDs.count, notes: marked.notesErased, keysDestroyed: destroyed)
    }

    /// Step 1, in one transaction outside the organisation scope (the notes of referral events
    /// the receiving side wrote are erased too), the owning organisation checked in SQL.
    private func mark(caseID: Int64, organisation known: Int64?, reason: ErasureReason, by actor: Actor)
        async throws(ServiceError) -> ErasureStore.Marked
    {
        let erasure = self.erasure
        let name = actor.organisation
        let knownID = known ?? actor.organisationID
        return try await store.transaction(actor) { connection in
            let organisation = try knownID ?? erasure.organisation(named: name, on: connection)
            let marked = try erasure.markErased(
                caseID: caseID, organisation: organisation, reason: reason, on: connection)
            try AuditLog.append(
                actor: actor.name, action: .personErased, subject: "case:\(caseID)", source: actor.source,
                detail: "reason=\(reason.rawValue)", on: connection)
            return marked
        }
    }

    /// Step 2: destroys the keyring entries, then clears the pending mark. False when the
    /// keyring could not be reached (the reconciler finishes it).
    private func destroyKeys(_ marked: ErasureStore.Marked) async -> Bool {
        do {
            try keyring.destroy(marked.entries)
        } catch {
            logger.warning(
                "an erased person's keyring entry is not destroyed yet (the reconciler retries): \(error)")
            return false
        }
        let erasure = self.erasure
        let ids = marked.personIDs
        _ = try? await store.transaction(nil) { connection in try erasure.keysDestroyed(ids, on: connection) }
        return true
    }

    func setRetention(months: Int?, by actor: Actor) async throws(ServiceError) {
        try actor.require(.setRetention)
        if let months, !(1...1200).contains(months) {
            throw .badArgument(argument: "months", message: "must be 1 to 1200, or off")
        }
        let erasure = self.erasure
        try await store.transaction(actor) { connection in
            let organisation =
                try actor.organisationID ?? erasure.organisation(named: actor.organisation, on: connection)
            try erasure.setRetention(months: months, organisation: organisation, on: connection)
            try AuditLog.append(
                actor: actor.name, action: .organisationRetention, subject: "organisation:\(organisation)",
                source: actor.source, detail: months.map { "months=\($0)" } ?? "off", on: connection)
        }
    }

    func eraseExpired(by actor: Actor) async throws(ServiceError) -> RetentionSweepReport {
        var report = RetentionSweepReport()
        report.reconciled = try await finishPendingErasures()
        let erasure = self.erasure
        var skipped = Set<Int64>()
        while true {
            let limit = Self.sweepBatch + skipped.count
            let (due, underMaster) = try await store.transaction(nil) { connection in
                try erasure.due(limit: limit, on: connection)
            }
            report.stillUnderMasterKey = underMaster
            let todo = due.filter { !skipped.contains($0.caseID) }
            if todo.isEmpty { break }
            for person in todo {
                do {
                    let marked = try await mark(
                        caseID: person.caseID, organisation: person.organisation, reason: .retention, by: actor)
                    _ = await destroyKeys(marked)
                    report.erased += 1
                } catch {
                    // One person's failure does not stop the others; the next sweep retries.
                    logger.warning("retention: the person of case \(person.caseID) was not erased: \(error)")
                    skipped.insert(person.caseID)
                    report.failed += 1
                }
            }
        }
        if report.stillUnderMasterKey > 0 {
            logger.warning(
                "retention: \(report.stillUnderMasterKey) persons are due but sealed under the personal-data key itself: run `passage pii-key convert`"
            )
        }
        return report
    }

    func finishPendingErasures() async throws(ServiceError) -> Int {
        let erasure = self.erasure
        var finished = 0
        while true {
            let pending = try await store.transaction(nil) { connection in
                try erasure.pendingDestructions(limit: Self.sweepBatch, on: connection)
            }
            if pending.isEmpty { return finished }
            do {
                try keyring.destroy(pending.compactMap(\.1))
            } catch {
                throw .unavailable("the keyring cannot be reached to finish erasures: \(error)")
            }
            let ids = pending.map(\.0)
            try await store.transaction(nil) { connection in try erasure.keysDestroyed(ids, on: connection) }
            finished += pending.count
        }
    }
}
