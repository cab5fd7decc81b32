import Metrics

/// A pool's metrics: how long leases waited for a connection (0 when one was free, so the
/// histogram's quantiles are those of every lease), and the errors its bodies ended with, by
/// SQLSTATE class. Errors are counted where they leave the pool: a serialization failure the
/// pool retried successfully is not counted.
struct PoolMetrics: Sendable {
    let pool: String
    private let wait: Metrics.Timer

    init(pool: String) {
        self.pool = pool
        self.wait = Metrics.Timer(label: "passage_db_pool_wait_seconds", dimensions: [("pool", pool)])
    }

    func waited(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        wait.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    func failed(_ error: any Error) {
        guard let errorClass = Self.errorClass(error) else { return }
        Counter(label: "passage_db_errors_total", dimensions: [("pool", pool), ("class", errorClass)]).increment()
    }

    /// The SQLSTATE's class (its first two characters); `08` for a connection that failed
    /// without one; `pool` for a pool timeout; nil for what is no database error (a
    /// cancellation, an application error thrown inside a body).
    static func errorClass(_ error: any Error) -> String? {
        guard let error = error as? PostgresError else { return nil }
        if let server = error.serverError { return String(server.sqlState.prefix(2)) }
        switch error {
        case .poolTimeout: return "pool"
        case .connectionFailed, .lostConnection: return "08"
        default: return nil
        }
    }
}
