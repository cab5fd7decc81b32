import Foundation
import Logging
import Metrics
import NIOPosix

/// A bounded pool of connections for async code. Each body runs on one of the pool's own
/// threads (a NIOThreadPool with one thread per connection), so blocking libpq calls never
/// occupy a NIO event loop or the Swift cooperative thread pool; the one exception is a loop
/// that serves no other channel and asks for it (`callerLoop`).
///
/// Waiting is first-come first-served and ends with `PostgresError.poolTimeout` after
/// `acquireTimeout`. A connection found broken (terminated backend, lost network) is closed
/// and replaced by a fresh one, as is one whose server turned read-only (SQLSTATE 25006). A
/// fresh one is opened from the whole connection string again, so with several hosts and
/// `target_session_attrs=read-write` it finds the primary of the moment (Docs/operations.md
/// "Read replicas and several hosts").
public final class PostgresPool: Sendable {
    public let size: Int
    public let acquireTimeout: Duration
    /// How long a connection's cached plans are kept (`PostgresConnection.discardPlans`).
    public let planLifetime: Duration
    /// The connect, statement and lock timeouts every connection of the pool starts with.
    public let timeouts: PostgresTimeouts
    private let conninfo: String
    private let logger: Logger
    private let threads: NIOThreadPool
    private let state: PoolLock
    /// Wait for a connection and errors by SQLSTATE class, labelled with the pool's `name`
    /// (Docs/operations.md "Logs and metrics").
    private let metrics: PoolMetrics

    /// - Throws: `PostgresError.misuse` for a size below 1 or a non-positive timeout,
    ///   `connectionFailed(.invalidConnectionString, …)` when libpq cannot parse `conninfo`.
    ///   No connection is opened until first use.
    public init(
        conninfo: String, size: Int, acquireTimeout: Duration = .seconds(10), planLifetime: Duration = .seconds(10),
        timeouts: PostgresTimeouts = .standard, logger: Logger, name: String = "casework"
    ) throws {
        guard size >= 1 else { throw PostgresError.misuse("pool size must be at least 1, got \(size)") }
        guard acquireTimeout > .zero else {
            throw PostgresError.misuse("pool acquire timeout must be positive, got \(acquireTimeout)")
        }
        try PostgresConnectionString.validate(conninfo)
        self.conninfo = conninfo
        self.size = size
        self.acquireTimeout = acquireTimeout
        self.planLifetime = planLifetime
        self.timeouts = timeouts
        self.logger = logger
        self.threads = NIOThreadPool(numberOfThreads: size)
        self.threads.start()
        self.state = PoolLock(PoolStateMachine(capacity: size))
        self.metrics = PoolMetrics(pool: name)
    }

    /// Leases a connection, runs `body` with it on a pool thread (or on `callerLoop`), and
    /// returns it to the pool. A transaction left open by `body` is rolled back before the
    /// connection is reused.
    public func withConnection<T: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        try await withConnection(mayUseCallerLoop: true, body)
    }

    /// `withConnection`, on the caller's loop only when `mayUseCallerLoop` and the loop path's
    /// conditions hold (`CallerLoopPath`), else on a pool thread.
    func withConnection<T: Sendable>(
        mayUseCallerLoop: Bool, _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        let (lease, waited): (PooledConnection, waited: Bool)
        let asked = ContinuousClock.now
        do {
            (lease, waited) = try await acquire()
        } catch {
            metrics.failed(error)
            throw error
        }
        metrics.waited(waited ? ContinuousClock.now - asked : .zero)
        if mayUseCallerLoop, Self.runsOnCallerLoop, !waited, let connection = lease.connection, connection.isHealthy {
            let outcome = Self.runLeased(lease, on: connection, planLifetime: planLifetime, logger: logger, body)
            giveBack(lease, healthy: outcome.healthy)
            if case .failure(let error) = outcome.result { metrics.failed(error) }
            return try outcome.result.get()
        }
        let conninfo = self.conninfo
        let timeouts = self.timeouts
        let logger = self.logger
        let planLifetime = self.planLifetime
        let outcome: LeaseOutcome<T>
        do {
            outcome = try await threads.runIfActive { () -> LeaseOutcome<T> in
                Self.runLeased(
                    lease, conninfo: conninfo, timeouts: timeouts, planLifetime: planLifetime, logger: logger, body)
            }
        } catch {
            // The work item never ran (cancelled or pool stopping): the lease is as it was.
            giveBack(lease, healthy: lease.connection != nil)
            throw error
        }
        giveBack(lease, healthy: outcome.healthy)
        if case .failure(let error) = outcome.result { metrics.failed(error) }
        return try outcome.result.get()
    }

    /// Runs `body` in a transaction on one connection, retrying the whole transaction up to
    /// `retries` more times when it fails with a serialization failure or deadlock. On the
    /// caller's loop only the first attempt runs there: a retry, with its back-off sleep, goes
    /// to a pool thread.
    public func transaction<T: Sendable>(
        isolation: PostgresIsolation = .readCommitted,
        retries: Int = 3,
        _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        guard Self.runsOnCallerLoop else {
            return try await retryingTransaction(isolation: isolation, retries: retries, failedBefore: 0, body)
        }
        do {
            return try await withConnection(mayUseCallerLoop: true) { connection in
                try connection.transaction(isolation: isolation, body)
            }
        } catch let error as PostgresError where error.serverError?.isRetryable == true && retries > 0 {
            logger.debug("retrying transaction on a pool thread after \(error) (attempt 2 of \(retries + 1))")
            return try await retryingTransaction(isolation: isolation, retries: retries, failedBefore: 1, body)
        }
    }

    /// The transaction's attempts from `failedBefore + 1` on, on a pool thread, each retry after
    /// a randomised back-off.
    private func retryingTransaction<T: Sendable>(
        isolation: PostgresIsolation, retries: Int, failedBefore: Int,
        _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        let logger = self.logger
        return try await withConnection(mayUseCallerLoop: false) { connection in
            var attempt = failedBefore
            if attempt > 0 { Self.backOff(attempt: attempt) }
            while true {
                do {
                    return try connection.transaction(isolation: isolation, body)
                } catch let error as PostgresError where error.serverError?.isRetryable == true && attempt < retries {
                    attempt += 1
                    logger.debug("retrying transaction after \(error) (attempt \(attempt + 1) of \(retries + 1))")
                    Self.backOff(attempt: attempt)
                }
            }
        }
    }

    /// Randomised backoff so two conflicting transactions do not collide again. Blocks its
    /// thread: only ever called on a pool thread.
    private static func backOff(attempt: Int) {
        usleep(UInt32.random(in: 1_000...5_000) * UInt32(attempt))
    }

    /// Closes idle connections, fails current waiters with `poolClosed`, waits for leased
    /// connections to come back (closing them), then stops the threads. Later calls fail with
    /// `poolClosed`.
    public func shutdown() async {
        let (waiters, idle) = state.withLock { box in
            let result = box.machine.shutDown()
            for waiter in result.waiters { box.timers.removeValue(forKey: waiter)?.cancel() }
            return (result.waiters.compactMap { box.continuations.removeValue(forKey: $0) }, result.idle)
        }
        for waiter in waiters { waiter.resume(throwing: PostgresError.poolClosed) }
        await closeConnections(idle)
        while state.withLock({ $0.machine.leasedCount }) > 0 {
            try? await Task.sleep(for: .milliseconds(5))
        }
        do {
            try await threads.shutdownGracefully()
        } catch {
            logger.warning("postgres pool threads did not stop cleanly: \(error)")
        }
    }

    // MARK: - Leasing

    /// A lease, and whether getting it meant waiting for another lease to end.
    private func acquire() async throws -> (PooledConnection, waited: Bool) {
        try Task.checkCancellation()
        // Fast path: a free slot is taken without suspending (a continuation resumed at once
        // would still cost a trip through the executor on every query).
        let (waiterID, immediate) = state.withLock { box in
            box.nextWaiterID += 1
            return (box.nextWaiterID, box.machine.acquireWithoutWaiting())
        }
        switch immediate {
        case .grant(.reuse(let lease)): return (lease, false)
        case .grant(.openNew): return (PooledConnection(), false)
        case .fail(let error): throw error
        case .wait, nil: break  // acquireWithoutWaiting never says .wait
        }
        let started = ContinuousClock.now
        let grant: PoolStateMachine<PooledConnection>.Grant = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let action = state.withLock { box in
                    let action = box.machine.acquire(waiterID)
                    if case .wait = action { box.continuations[waiterID] = continuation }
                    return action
                }
                switch action {
                case .grant(let grant): continuation.resume(returning: grant)
                case .fail(let error): continuation.resume(throwing: error)
                case .wait:
                    scheduleTimeout(for: waiterID, started: started)
                    // A cancel that landed before the waiter was queued found nothing to remove.
                    if Task.isCancelled { abandon(waiterID, with: CancellationError()) }
                }
            }
        } onCancel: {
            abandon(waiterID, with: CancellationError())
        }
        switch grant {
        case .reuse(let lease): return (lease, true)
        case .openNew: return (PooledConnection(), true)
        }
    }

    private func scheduleTimeout(for waiterID: Int, started: ContinuousClock.Instant) {
        let timeout = acquireTimeout
        let size = self.size
        let timer = Task { [weak self] in
            guard (try? await Task.sleep(for: timeout)) != nil else { return }  // cancelled: served
            self?.abandon(
                waiterID, with: PostgresError.poolTimeout(waited: ContinuousClock.now - started, poolSize: size))
        }
        // The waiter may already have been served; then the timer is not needed at all.
        let stillWaiting = state.withLock { box in
            guard box.continuations[waiterID] != nil else { return false }
            box.timers[waiterID] = timer
            return true
        }
        if !stillWaiting { timer.cancel() }
    }

    private func abandon(_ waiterID: Int, with error: Error) {
        let (continuation, timer) = state.withLock { box in
            box.machine.abandon(waiterID)
                ? (box.continuations.removeValue(forKey: waiterID), box.timers.removeValue(forKey: waiterID))
                : (nil, nil)
        }
        timer?.cancel()
        continuation?.resume(throwing: error)
    }

    private func giveBack(_ lease: PooledConnection, healthy: Bool) {
        let (action, resumed) = state.withLock { box in
            let action = healthy ? box.machine.release(lease) : box.machine.discard()
            if case .resume(let waiterID, _) = action {
                box.timers.removeValue(forKey: waiterID)?.cancel()
                return (action, box.continuations.removeValue(forKey: waiterID))
            }
            return (action, nil)
        }
        switch action {
        case .none: break
        case .resume(_, let grant): resumed?.resume(returning: grant)
        case .close(let connection): Task { await self.closeConnections([connection]) }
        }
    }

    private func closeConnections(_ leases: [PooledConnection]) async {
        guard !leases.isEmpty else { return }
        do {
            try await threads.runIfActive { for lease in leases { lease.close() } }
        } catch {
            for lease in leases { lease.close() }  // threads already stopped: close here
        }
    }

    /// Body of the lease on a pool thread: make sure the leased connection is alive (replacing
    /// it if not), run the caller's body, then decide whether the connection can be reused.
    private static func runLeased<T>(
        _ lease: PooledConnection, conninfo: String, timeouts: PostgresTimeouts, planLifetime: Duration, logger: Logger,
        _ body: (PostgresConnection) throws -> T
    ) -> LeaseOutcome<T> {
        let connection: PostgresConnection
        if let existing = lease.connection, existing.isHealthy {
            connection = existing
        } else {
            if let broken = lease.connection {
                logger.notice(
                    "replacing a broken PostgreSQL connection",
                    metadata: ["reason": "\(broken.signals.terminationMessage ?? "session no longer usable")"])
            }
            lease.close()
            do {
                connection = try PostgresConnection.connect(conninfo, timeouts: timeouts)
                lease.connection = connection
            } catch {
                logger.warning("could not open a PostgreSQL connection: \(error)")
                return LeaseOutcome(result: .failure(error), healthy: false)
            }
        }
        return runLeased(lease, on: connection, planLifetime: planLifetime, logger: logger, body)
    }

    /// Runs the caller's body on the lease's live `connection` (on a pool thread, or on the
    /// caller's loop, where it never connects), then decides whether it can be reused.
    private static func runLeased<T>(
        _ lease: PooledConnection, on connection: PostgresConnection, planLifetime: Duration, logger: Logger,
        _ body: (PostgresConnection) throws -> T
    ) -> LeaseOutcome<T> {
        let result = Result {
            try connection.discardPlans(olderThan: planLifetime)
            return try body(connection)
        }
        if case .failure(let error as PostgresError) = result, error.serverError?.meansReadOnlyServer == true {
            // A write met a read-only server: this session's host is a standby now (a demoted
            // primary). A fresh connection goes through the string's hosts again and, asking
            // for read-write, lands on the new primary.
            logger.notice(
                "discarding a PostgreSQL connection to a server that is read-only now",
                metadata: ["host": "\(connection.host)"])
            lease.close()
            return LeaseOutcome(result: result, healthy: false)
        }
        let healthy = connection.resetForReuse()
        if !healthy {
            logger.notice("discarding a PostgreSQL connection that is no longer usable")
            lease.close()
        }
        return LeaseOutcome(result: result, healthy: healthy)
    }
}

private struct LeaseOutcome<T: Sendable>: Sendable {
    let result: Result<T, Error>
    let healthy: Bool
}

/// A pool slot's connection. Unchecked Sendable: the pool guarantees that exactly one lease
/// holder (running on one pool thread, or on its caller's event loop) touches it at a time.
final class PooledConnection: @unchecked Sendable {
    var connection: PostgresConnection?

    func close() {
        connection?.close()
        connection = nil
    }
}

/// The state machine plus the continuations of the waiters it names, behind one lock.
final class PoolLock: @unchecked Sendable {
    struct Box {
        var machine: PoolStateMachine<PooledConnection>
        var continuations: [Int: CheckedContinuation<PoolStateMachine<PooledConnection>.Grant, Error>] = [:]
        /// Timeout timers of waiting leases, cancelled as soon as the lease is served.
        var timers: [Int: Task<Void, Never>] = [:]
        var nextWaiterID = 0
    }

    private let lock = NSLock()
    private var box: Box

    init(_ machine: PoolStateMachine<PooledConnection>) {
        self.box = Box(machine: machine)
    }

    func withLock<R>(_ body: (inout Box) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body(&box)
    }
}
