import PassageCore
import PassageStore
import Postgres

/// ProviderService over PassageStore: each use case one transaction with its scope and audit entry.
struct ProviderServiceOnStore: ProviderService {
    let store: StoreWork
}
