import PassageCore

/// The use cases of the people cases are about: recording and reading their personal details.
/// Only the owning organisation reaches them; every read and change is audited.
public protocol PersonService: Sendable {
    /// Records the fields `change` gives for the person of case `caseID` (`PERSON SET`).
    func record(_ change: PersonDetailsChange, forCase caseID: Int64, by actor: Actor) async throws(ServiceError)
    /// The personal details of case `caseID`: an audited read, drawing on the actor's bulk-read
    /// budget (`PERSON SHOW`). Not found when none were recorded.
    func details(ofCase caseID: Int64, by actor: Actor) async throws(ServiceError) -> PersonDetails
    /// The people of the actor's organisation who may be the one `query` describes, strongest
    /// first, at most `limit` (`PERSON SEARCH`, Docs/finding-persons.md): their cases and a
    /// score, never their identifiers. Audited without the values searched for.
    func search(_ query: PersonQuery, limit: Int, by actor: Actor) async throws(ServiceError) -> [PersonMatch]
    /// `record`, answering the other people of the organisation this person now strongly
    /// matches (`PERSON SET`'s duplicate warning; the caseworker decides).
    func recordChecking(_ change: PersonDetailsChange, forCase caseID: Int64, by actor: Actor)
        async throws(ServiceError) -> [PersonMatch]
}

extension PersonService {
    /// For implementations without search (the console's test fakes).
    public func search(_ query: PersonQuery, limit: Int, by actor: Actor) async throws(ServiceError) -> [PersonMatch] {
        throw .unavailable("person search is not available here")
    }

    public func recordChecking(_ change: PersonDetailsChange, forCase caseID: Int64, by actor: Actor)
        async throws(ServiceError) -> [PersonMatch]
    {
        try await record(change, forCase: caseID, by: actor)
        return []
    }
}
