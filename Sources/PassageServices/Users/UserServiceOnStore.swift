import PassageCore
import PassageStore
import Postgres

/// UserService over PassageStore: each use case one transaction with its scope and audit entry.
struct UserServiceOnStore: UserService {
    let store: StoreWork
}
