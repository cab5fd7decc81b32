import PassageCore
import PassageStore
import Postgres

/// ReferralService over PassageStore: each use case one transaction with its scope and audit entry.
struct ReferralServiceOnStore: ReferralService {
    let store: StoreWork
}
