import PassageCore

/// The use cases of the people cases are about: recording and reading their personal details.
/// Only the owning organisation reaches them; every read and change is audited.
public protocol PersonService: Sendable {
    /// Records the fields `change` gives for the person of case `caseID` (`PERSON SET`).
    func record(_ change: PersonDetailsChange, forCase caseID: Int64, by actor: Actor) async throws(ServiceError)
    /// The personal details of case `caseID`: an audited read, drawing on the actor's bulk-read
    /// budget (`PERSON SHOW`). Not found when none were recorded.
    func details(ofCase caseID: Int64, by actor: Actor) async throws(ServiceError) -> PersonDetails
}
