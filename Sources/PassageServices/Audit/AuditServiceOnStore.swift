import PassageCore
import PassageStore
import Postgres

/// AuditService over PassageStore: each use case one transaction with its scope and audit entry.
struct AuditServiceOnStore: AuditService {
    let store: StoreWork
}
