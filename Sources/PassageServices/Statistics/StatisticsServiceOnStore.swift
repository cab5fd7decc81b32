import PassageCore
import PassageStore
import Postgres

/// StatisticsService over PassageStore: each use case one transaction with its scope and audit entry.
struct StatisticsServiceOnStore: StatisticsService {
    let store: StoreWork
}
