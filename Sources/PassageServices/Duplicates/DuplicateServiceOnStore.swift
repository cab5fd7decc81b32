import PassageCore
import PassageStore
import Postgres

/// DuplicateService over PassageStore. Merges, listing and the rate run in the actor's
/// organisation scope; a decision on a pair runs outside it (confirming a pair across
/// organisations links the other side's case, whose half the scope hides), with the
/// organisation checks in DuplicatePairStore's SQL.
struct DuplicateServiceOnStore: DuplicateService {
    let store: StoreWork
    let merges = PersonMergeStore()
    let pairs = DuplicatePairStore()

    func merge(survivorCase: Int64, mergedCase: Int64, by actor: Actor) async throws(ServiceError) -> PersonMerge {
        try actor.require(.mergePersons)
        let merges = self.merges
        return try await store.scoped(actor) { connection, organisation in
            // Another organisation's open request does not hold up the owner's merge (Docs/transfers.md).
            try TransferStore.supersedeRequests(
                personsOfCases: [survivorCase, mergedCase], owner: organisation, by: actor.name,
                source: actor.source, on: connection)
            let merge = try merges.merge(
                survivorCase: survivorCase, mergedCase: mergedCase, by: actor.name, organisation: organisation,
                on: connection)
            try AuditLog.append(
                actor: actor.name, action: .personMerge, subject: "case:\(survivorCase)", source: actor.source,
                detail: "merge \(merge.id): person of case \(mergedCase) merged, cases "
                    + merge.movedCases.map(String.init).joined(separator: ",") + " moved",
                on: connection)
            return merge
        }
    }

    func unmerge(_ id: Int64, by actor: Actor) async throws(ServiceError) -> PersonMerge {
        try actor.require(.unmergePersons)
        let merges = self.merges
        return try await store.scoped(actor) { connection, organisation in
            let survivorCase = try merges.show(id: id, organisation: organisation, on: connection).survivorCase
            try TransferStore.supersedeRequests(
                personsOfCases: [survivorCase], owner: organisation, by: actor.name, source: actor.source,
                on: connection)
            let merge = try merges.unmerge(id: id, by: actor.name, organisation: organisation, on: connection)
            try AuditLog.append(
                actor: actor.name, action: .personUnmerge, subject: "case:\(merge.survivorCase)", source: actor.source,
                detail: "merge \(id) undone: cases " + merge.movedCases.map(String.init).joined(separator: ",")
                    + " back to the person of case \(merge.mergedCase)",
                on: connection)
            return merge
        }
    }

    func pairs(status: DuplicateStatus?, by actor: Actor) async throws(ServiceError) -> [DuplicatePairView] {
        try actor.require(.listDuplicates)
        let pairs = self.pairs
        return try await store.scoped(actor) { connection, organisation in
            let listed = try pairs.list(status: status, organisation: organisation, on: connection)
            try AuditLog.append(
                actor: actor.name, action: .duplicateList, subject: "organisation:\(actor.organisation)",
                source: actor.source, detail: "\(listed.count) pairs" + (status.map { " \($0.rawValue)" } ?? ""),
                on: connection)
            return listed
        }
    }

    func decide(_ id: Int64, _ decision: DuplicateDecision, by actor: Actor) async throws(ServiceError)
        -> DuplicatePairView
    {
        try actor.require(decision == .confirmed ? .confirmDuplicate : .rejectDuplicate)
        let pairs = self.pairs
        return try await store.transaction(actor) { connection in
            let organisation =
                try actor.organisationID
                ?? OrganisationStore.id(
                    named: actor.organisation, create: false, on: connection)
            let pair = try pairs.decide(id: id, decision, by: actor.name, organisation: organisation, on: connection)
            try AuditLog.append(
                actor: actor.name, action: decision == .confirmed ? .duplicateConfirm : .duplicateReject,
                subject: "pair:\(id)", source: actor.source,
                detail: "case \(pair.ownCase)" + (pair.secondCase.map { " and case \($0)" } ?? "")
                    + (pair.otherOrganisation.map { " with \($0)" } ?? "") + ", pair \(pair.status.rawValue)",
                on: connection)
            return pair
        }
    }

    func rate(by actor: Actor) async throws(ServiceError) -> DuplicateRate {
        try actor.require(.duplicateRate)
        let pairs = self.pairs
        return try await store.scoped(actor) { connection, organisation in
            let rate = try pairs.rate(organisation: organisation, on: connection)
            try AuditLog.append(
                actor: actor.name, action: .duplicateRate, subject: "organisation:\(actor.organisation)",
                source: actor.source, on: connection)
            return rate
        }
    }
}
