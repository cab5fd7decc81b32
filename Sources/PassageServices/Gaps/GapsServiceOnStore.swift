import PassageCore
import PassageStore
import Postgres

/// GapsService over PassageStore: each use case one transaction with its scope and audit entry.
struct GapsServiceOnStore: GapsService {
    let store: StoreWork
}
