import PassageCore
import PassageStore
import Postgres

/// NeedService over PassageStore: each use case one transaction with its scope and audit entry.
struct NeedServiceOnStore: NeedService {
    let store: StoreWork
    let needs: NeedStore
    /// The user's bulk-read budget `list` draws on (nil: unlimited).
    let bulkReads: BulkReadLimit?

    func add(_ need: NewNeed, by actor: Actor) async throws(ServiceError) -> NeedRecord {
        try actor.require(.addNeed)
        if let note = need.note, note.isEmpty || note.count > 2000 {
            throw .badArgument(argument: "note", message: "must be 1 to 2000 characters")
        }
        let needs = self.needs
        return try await store.scoped(actor) { connection, organisation in
            let record = try needs.add(
                caseID: need.caseID, code: need.code, priority: need.priority.rawValue, note: need.note,
                organisation: organisation, identifiedBy: actor.name, on: connection)
            try AuditLog.append(
                actor: actor.name, action: .needAdd, subject: "case:\(need.caseID)", source: actor.source,
                detail: "need \(record.id) \(record.code) \(record.priority)", on: connection)
            return record
        }
    }

    func list(_ filter: NeedFilter, by actor: Actor) async throws(ServiceError) -> [NeedRecord] {
        try actor.require(.listNeeds)
        let needs = self.needs
        return try await bulkReads.reading(by: actor) { () async throws(ServiceError) -> [NeedRecord] in
            try await store.scoped(actor) { connection, organisation in
                let list = try needs.list(
                    caseID: filter.caseID, organisation: organisation, after: filter.after, limit: filter.limit,
                    on: connection)
                try AuditLog.append(
                    actor: actor.name, action: .needList, subject: "case:\(filter.caseID)", source: actor.source,
                    detail: "\(list.count) needs", on: connection)
                return list
            }
        }
    }

    func setStatus(of needID: Int64, to status: NeedStatus, expectedVersion: Int?, by actor: Actor)
        async throws(ServiceError) -> NeedRecord
    {
        try actor.require(.setNeedStatus)
        let needs = self.needs
        return try await store.scoped(actor) { connection, organisation in
            let record = try needs.setStatus(
                id: needID, to: status, expectedVersion: expectedVersion, organisation: organisation, on: connection)
            try AuditLog.append(
                actor: actor.name, action: .needStatus, subject: "case:\(record.caseID)", source: actor.source,
                detail: "need \(needID) \(status.rawValue) version \(record.version)", on: connection)
            return record
        }
    }
}
