import PassageCore
import PassageServices
import Synchronization

/// PersonService in memory, for the console's tests: it keeps the details recorded per case, as
/// the real one does (named fields change, others stay), and refuses an empty change.
final class FakePersonService: PersonService {
    private let people = Mutex<[Int64: PersonDetails]>([:])

    func record(_ change: PersonDetailsChange, forCase caseID: Int64, by actor: Actor) async throws(ServiceError) {
        guard change.name != nil || change.dateOfBirth != nil || change.phone != nil || change.documents != nil else {
            throw .badArgument(argument: "name", message: "give at least one of name=, dob=, phone=, documents=")
        }
        people.withLock { people in
            var person = people[caseID] ?? PersonDetails()
            if let name = change.name { person.names = [name] }
            if let dateOfBirth = change.dateOfBirth { person.dateOfBirth = dateOfBirth }
            if let phone = change.phone { person.phone = phone }
            if let documents = change.documents { person.documents = documents }
            people[caseID] = person
        }
    }

    func details(ofCase caseID: Int64, by actor: Actor) async throws(ServiceError) -> PersonDetails {
        guard let person = people.withLock({ $0[caseID] }) else {
            throw .notFound("no personal details recorded for case \(caseID)")
        }
        return person
    }
}
