import Synchronization

/// How many heavy queries (STATS and GAPS counted from the base tables) run at once: at most
/// `perUser` for one user and `total` for the server. A query beyond either is refused at once
/// (`busy`; the console's 452), never queued: a queue would hold the client's connection and let
/// one analyst line up work that outlives their interest in it. The heavy pool (`passage serve
/// --heavy-pool-size`) keeps these queries off the connections casework uses; this gate keeps
/// one user from taking the whole heavy pool.
public final class HeavyQueryLimit: Sendable {
    public let perUser: Int
    public let total: Int
    private let running = Mutex<(total: Int, byUser: [String: Int])>((0, [:]))

    public init(perUser: Int = 1, total: Int = 4) {
        self.perUser = max(1, perUser)
        self.total = max(1, total)
    }

    /// Runs `body` when `user` and the server are below their limits; otherwise `busy`.
    public func run<T>(user: String, _ body: () async throws -> T) async throws -> T {
        try admit(user)
        defer { release(user) }
        return try await body()
    }

    /// As `run`, for a use case's typed work.
    func admitting<T>(_ user: String, _ body: () async throws(ServiceError) -> T) async throws(ServiceError) -> T {
        try admit(user)
        defer { release(user) }
        return try await body()
    }

    /// Takes a place for `user`, or refuses (`busy`); give it back with `release`.
    public func admit(_ user: String) throws(ServiceError) {
        let refusal: String? = running.withLock { state in
            if state.byUser[user, default: 0] >= perUser {
                return
                    "heavy query refused: you already have \(perUser) STATS or GAPS running; wait for its reply, then ask again"
            }
            if state.total >= total {
                return
                    "heavy query refused: the server is running its \(total) STATS and GAPS queries at once; retry in a few seconds"
            }
            state.total += 1
            state.byUser[user, default: 0] += 1
            return nil
        }
        if let refusal { throw .busy(refusal) }
    }

    public func release(_ user: String) {
        running.withLock { state in
            state.total -= 1
            let left = state.byUser[user, default: 1] - 1
            state.byUser[user] = left > 0 ? left : nil
        }
    }

    /// Queries running now (tests, diagnostics).
    public var runningCount: Int { running.withLock { $0.total } }
}
