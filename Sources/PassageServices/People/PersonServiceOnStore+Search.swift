import PassageCore
import PassageStore

extension PersonServiceOnStore {
    /// Candidates are retrieved in SQL by blind keys, opened and scored here (Docs/finding-persons.md).
    func search(_ query: PersonQuery, limit: Int, by actor: Actor) async throws(ServiceError) -> [PersonMatch] {
        try actor.require(.searchPersons)
        guard (1...100).contains(limit) else { throw .badArgument(argument: "limit", message: "must be 1 to 100") }
        let query = try query.checked()
        let index = PersonIndexStore(people: people)
        // A search opens persons' identifiers and tells which cases hold a given name, date or
        // number: it draws on the bulk-read budget as PERSON SHOW and the lists do, one token plus
        // one per person listed (Docs/security.md item 16), so a loop testing a list of names or
        // phone numbers is slowed to it.
        try bulkReads?.admit(actor.name)
        let found = try await store.scoped(actor) { connection, organisation in
            // sex and nationality filter the cases in SQL; a search opens at least as many
            // candidates as it may list
            let matches = try index.scoredCandidates(
                for: query, in: .organisation(organisation), filtering: true,
                limit: max(limit, PersonIndexStore.candidateLimit), on: connection
            )
            .map { PersonMatch(cases: $0.cases, score: $0.score) }
            .filter { $0.score >= PersonMatchScore.listed }
            .sorted { ($0.score, -($0.cases.first?.id ?? 0)) > ($1.score, -($1.cases.first?.id ?? 0)) }
            .prefix(limit)
            // Who searched, by which fields, and how many they were shown; never the values.
            try AuditLog.append(
                actor: actor.name, action: .personSearch,
                subject: "by:\(query.fieldsGiven.joined(separator: ",")) listed:\(matches.count)",
                source: actor.source, on: connection)
            return Array(matches)
        }
        bulkReads?.charge(actor.name, rows: found.count)
        return found
    }
}
