import PassageCore
import PassageStore
import Postgres

/// CaseService over PassageStore: each use case one transaction with its scope and audit entry.
struct CaseServiceOnStore: CaseService {
    let store: StoreWork
}
