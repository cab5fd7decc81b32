import PassageCore
import PassageStore
import Postgres

/// SignInService over PassageStore: each use case one transaction with its scope and audit entry.
struct SignInServiceOnStore: SignInService {
    let store: StoreWork
}
