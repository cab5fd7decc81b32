import PassageCore
import PassageStore
import Postgres

/// PersonService over PassageStore: each use case one transaction with its scope and audit entry.
struct PersonServiceOnStore: PersonService {
    let store: StoreWork
}
