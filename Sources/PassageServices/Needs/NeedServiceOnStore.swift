import PassageCore
import PassageStore
import Postgres

/// NeedService over PassageStore: each use case one transaction with its scope and audit entry.
struct NeedServiceOnStore: NeedService {
    let store: StoreWork
}
