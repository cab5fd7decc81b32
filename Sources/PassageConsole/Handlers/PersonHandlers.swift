import Foundation
import PassageCore
import PassageStore
import Postgres

/// `PERSON SET|SHOW`: who a case is about — names, date of birth, phone, documents — kept
/// encrypted and apart from the facts. Only caseworkers and supervisors of the owning
/// organisation reach them, and every read is audited.
struct PersonHandlers: Sendable {
    let store: StoreCall
    let people: PersonStore

    func set(_ invocation: Invocation, _ session: Session) async throws -> Reply {
        let user = try invocation.signedInUser()
        let id = Int64(try invocation.int("case"))
        let name = invocation.optionalText("name")
        let dateOfBirth = invocation.date("dob").map(\.description)
        let phone = invocation.optionalText("phone")
        let documents = invocation.list("documents")
        guard name != nil || dateOfBirth != nil || phone != nil || documents != nil else {
            throw ConsoleError.badArgument(argument: "name", message: "give at least one of name=, dob=, phone=, documents=")
        }
        let people = self.people
        try await store.scoped(user) { connection, organisation in
            // Unnamed fields keep their value: PERSON SET changes what it names.
            var identifiers = try people.read(caseID: id, organisation: organisation, on: connection) ?? PersonalIdentifiers()
            if let name { identifiers.names = [name] }
            if let dateOfBirth { identifiers.dateOfBirth = dateOfBirth }
            if let phone { identifiers.phone = phone }
            if let documents { identifiers.documents = documents }
            try people.record(identifiers, caseID: id, organisation: organisation, on: connection)
            try AuditLog.append(actor: user.name, action: .personUpdate, subject: "case:\(id)", source: session.source, on: connection)
        }
        return .ok([ReplyField("case", .int(Int(id)))], message: "personal details recorded")
    }

    func show(_ invocation: Invocation, _ session: Session) async throws -> Reply {
        let user = try invocation.signedInUser()
        let id = Int64(try invocation.int("case"))
        let people = self.people
        let identifiers = try await store.scoped(user) { connection, organisation in
            let identifiers = try people.read(caseID: id, organisation: organisation, on: connection)
            try AuditLog.append(actor: user.name, action: .personRead, subject: "case:\(id)", source: session.source, on: connection)
            return identifiers
        }
        guard let identifiers else { throw ConsoleError.notFound("no personal details recorded for case \(id)") }
        let rows: [[ReplyValue]] = [
            [.string("name"), .string(identifiers.names.joined(separator: "; "))],
            [.string("dob"), .string(identifiers.dateOfBirth ?? "")],
            [.string("phone"), .string(identifiers.phone ?? "")],
            [.string("documents"), .string(identifiers.documents.joined(separator: ", "))],
        ]
        return .data(.table("person of case \(id)", columns: ["field", "value"], rows: rows))
    }
}
