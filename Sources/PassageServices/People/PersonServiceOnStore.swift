import PassageCore
import PassageStore
import Postgres

/// PersonService over PassageStore: each use case one transaction with its scope and audit entry.
struct PersonServiceOnStore: PersonService {
    let store: StoreWork
    let people: PersonStore
    /// The user's bulk-read budget `details` draws on (nil: unlimited).
    let bulkReads: BulkReadLimit?

    /// A read of a person's details costs what a four-row list costs: one row per field shown
    /// (names, date of birth, phone, documents).
    static let rowsPerRead = 4

    func record(_ change: PersonDetailsChange, forCase caseID: Int64, by actor: Actor) async throws(ServiceError) {
        _ = try await write(change, forCase: caseID, by: actor, checkingDuplicates: false)
    }

    func recordChecking(_ change: PersonDetailsChange, forCase caseID: Int64, by actor: Actor)
        async throws(ServiceError) -> [PersonMatch]
    {
        try await write(change, forCase: caseID, by: actor, checkingDuplicates: true)
    }

    /// Records the change and re-indexes the person (Docs/finding-persons.md) in one
    /// transaction; with `checkingDuplicates`, also answers who else of the organisation the
    /// person now strongly matches.
    private func write(
        _ change: PersonDetailsChange, forCase caseID: Int64, by actor: Actor, checkingDuplicates: Bool
    ) async throws(ServiceError) -> [PersonMatch] {
        try actor.require(.recordPerson)
        guard !change.isEmpty else {
            throw .badArgument(argument: "name", message: "give at least one of name=, dob=, phone=, documents=")
        }
        let change = try change.checked()
        let people = self.people
        let index = PersonIndexStore(people: people)
        let matches: [PersonMatch] = try await store.scoped(actor) { connection, organisation in
            // Unnamed fields keep their value: a change changes what it names.
            var identifiers =
                try people.read(caseID: caseID, organisation: organisation, on: connection) ?? PersonalIdentifiers()
            if let name = change.name { identifiers.names = [name] }
            if let dateOfBirth = change.dateOfBirth { identifiers.dateOfBirth = dateOfBirth }
            if let phone = change.phone { identifiers.phone = phone }
            if let documents = change.documents { identifiers.documents = documents }
            try people.record(identifiers, caseID: caseID, organisation: organisation, on: connection)
            let personID = try index.index(identifiers, ofCase: caseID, organisation: organisation, on: connection)
            try AuditLog.append(
                actor: actor.name, action: .personUpdate, subject: "case:\(caseID)", source: actor.source,
                on: connection)
            guard checkingDuplicates else { return [] }
            return try index.strongMatches(
                of: identifiers, personID: personID, caseID: caseID, organisation: organisation, on: connection)
        }
        // Candidate pairs within and across organisations (Docs/finding-persons.md), after the commit.
        await DuplicateRegistrationCheck(store: store, index: index).run(caseID: caseID, by: actor)
        return matches
    }

    func details(ofCase caseID: Int64, by actor: Actor) async throws(ServiceError) -> PersonDetails {
        try actor.require(.showPerson)
        try bulkReads?.admit(actor.name)
        let people = self.people
        // The read is audited even when nothing was recorded: someone looked.
        let identifiers = try await store.scoped(actor) { connection, organisation in
            let identifiers = try people.read(caseID: caseID, organisation: organisation, on: connection)
            try AuditLog.append(
                actor: actor.name, action: .personRead, subject: "case:\(caseID)", source: actor.source, on: connection)
            return identifiers
        }
        guard let identifiers else { throw .notFound("no personal details recorded for case \(caseID)") }
        bulkReads?.charge(actor.name, rows: Self.rowsPerRead)
        return PersonDetails(
            names: identifiers.names, dateOfBirth: identifiers.dateOfBirth, phone: identifiers.phone,
            documents: identifiers.documents)
    }
}
