import PassageCore
import PassageStore

extension PersonServiceOnStore {
    /// Candidates are retrieved in SQL by blind keys, opened and scored here (Docs/finding-persons.md).
    func search(_ query: PersonQuery, limit: Int, by actor: Actor) async throws(ServiceError) -> [PersonMatch] {
        try actor.require(.searchPersons)
        guard (1...100).contains(limit) else { throw .badArgument(argument: "limit", message: "must be 1 to 100") }
        let query = try query.checked()
        let keys = PersonMatchKeys.forQuery(query)
        let index = PersonIndexStore(people: people)
        return try await store.scoped(actor) { connection, organisation in
            let candidates = try index.candidates(
                for: keys, organisation: organisation, sex: query.sex, nationality: query.nationality,
                limit: PersonIndexStore.candidateLimit, on: connection)
            let matches =
                candidates
                .map { PersonMatch(cases: $0.cases, score: PersonMatchScore.score(query, $0.person)) }
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
    }
}
