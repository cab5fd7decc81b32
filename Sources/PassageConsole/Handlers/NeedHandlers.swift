import Foundation
import PassageCore
import PassageStore
import Postgres

/// `NEED ADD|LIST|SET`: the protection needs of a case, in the case's organisation only, each
/// read and change audited in its own transaction.
struct NeedHandlers: Sendable {
    let store: StoreCall
    let needs: NeedStore

    func add(_ invocation: Invocation, _ session: Session) async throws -> Reply {
        let user = try invocation.signedInUser()
        let caseID = Int64(try invocation.int("case"))
        let code = try invocation.text("code")
        let priority = invocation.optionalText("priority") ?? "normal"
        let note = invocation.optionalText("note")
        let needs = self.needs
        let need = try await store.scoped(user) { connection, organisation in
            let need = try needs.add(caseID: caseID, code: code, priority: priority, note: note, organisation: organisation,
                                     identifiedBy: user.name, on: connection)
            try AuditLog.append(actor: user.name, action: .needAdd, subject: "case:\(caseID)", source: session.source,
                                detail: "need \(need.id) \(need.code) \(need.priority)", on: connection)
            return need
        }
        return .ok([ReplyField("need", .int(Int(need.id)))])
    }

    func list(_ invocation: Invocation, _ session: Session) async throws -> Reply {
        let user = try invocation.signedInUser()
        let caseID = Int64(try invocation.int("case"))
        let needs = self.needs
        let list = try await store.scoped(user) { connection, organisation in
            let list = try needs.list(caseID: caseID, organisation: organisation, on: connection)
            try AuditLog.append(actor: user.name, action: .needList, subject: "case:\(caseID)", source: session.source,
                                detail: "\(list.count) needs", on: connection)
            return list
        }
        return .data(.table("needs of case \(caseID)", columns: Self.columns, rows: list.map(Self.row)))
    }

    func set(_ invocation: Invocation, _ session: Session) async throws -> Reply {
        let user = try invocation.signedInUser()
        let id = Int64(try invocation.int("need"))
        guard let status = NeedStatus(rawValue: try invocation.text("status")) else {
            throw ConsoleError.badArgument(argument: "status", message: "expected met, withdrawn or open")
        }
        let version = invocation.optionalInt("version")
        let needs = self.needs
        let need = try await store.scoped(user) { connection, organisation in
            let need = try needs.setStatus(id: id, to: status, expectedVersion: version, organisation: organisation, on: connection)
            try AuditLog.append(actor: user.name, action: .needStatus, subject: "case:\(need.caseID)", source: session.source,
                                detail: "need \(id) \(status.rawValue) version \(need.version)", on: connection)
            return need
        }
        return .ok([ReplyField("need", .int(Int(need.id))), ReplyField("status", .string(need.status.rawValue)),
                    ReplyField("version", .int(need.version))])
    }

    static let columns = ["need", "code", "meaning", "dimension", "priority", "status", "version", "identified", "by", "note"]

    static func row(_ need: NeedRecord) -> [ReplyValue] {
        [.int(Int(need.id)), .string(need.code), .string(need.meaning), .string(need.dimension), .string(need.priority),
         .string(need.status.rawValue), .int(need.version), .string(ConsoleTime.text(need.identifiedAt)),
         .string(need.identifiedBy), need.note.map(ReplyValue.string) ?? .null]
    }
}
