/// The pool's bookkeeping, free of I/O and locks so it can be tested on its own (in the spirit
/// of postgres-nio's PoolStateMachine). The pool calls it under a lock and carries out the
/// returned action outside the lock.
///
/// A *slot* is one of at most `capacity` connections: idle, leased, or about to be opened by
/// whoever was granted `.openNew`. Waiters are served strictly first-come first-served.
struct PoolStateMachine<Connection> {
    typealias WaiterID = Int

    enum Grant {
        /// Use this idle connection.
        case reuse(Connection)
        /// A slot is reserved for you: open a new connection (report failure with `discard`).
        case openNew
    }

    enum AcquireAction {
        case grant(Grant)
        case wait
        case fail(PostgresError)
    }

    enum ReleaseAction {
        case none
        /// Hand this grant to the waiter that has waited longest.
        case resume(WaiterID, Grant)
        /// The pool is shut down: close this connection.
        case close(Connection)
    }

    let capacity: Int
    private(set) var idle: [Connection] = []
    private(set) var openSlots = 0  // idle + leased + being opened
    private(set) var waiters: [WaiterID] = []
    private(set) var isShutDown = false

    init(capacity: Int) {
        self.capacity = capacity
    }

    var leasedCount: Int { openSlots - idle.count }

    mutating func acquire(_ waiter: WaiterID) -> AcquireAction {
        if let action = acquireWithoutWaiting() { return action }
        waiters.append(waiter)
        return .wait
    }

    /// Like `acquire`, but returns nil instead of queueing (the caller then queues properly).
    mutating func acquireWithoutWaiting() -> AcquireAction? {
        if isShutDown { return .fail(.poolClosed) }
        // Waiters only exist while nothing is idle, so taking idle here cannot jump the queue.
        if waiters.isEmpty, let connection = idle.popLast() {
            return .grant(.reuse(connection))
        }
        if waiters.isEmpty, openSlots < capacity {
            openSlots += 1
            return .grant(.openNew)
        }
        return nil
    }

    /// A leased connection came back healthy.
    mutating func release(_ connection: Connection) -> ReleaseAction {
        if isShutDown {
            openSlots -= 1
            return .close(connection)
        }
        if !waiters.isEmpty {
            return .resume(waiters.removeFirst(), .reuse(connection))
        }
        idle.append(connection)
        return .none
    }

    /// A leased slot is gone: its connection broke (and was closed by the caller) or opening a
    /// new one failed. The next waiter, if any, gets to open a replacement.
    mutating func discard() -> ReleaseAction {
        openSlots -= 1
        if !isShutDown, !waiters.isEmpty {
            openSlots += 1
            return .resume(waiters.removeFirst(), .openNew)
        }
        return .none
    }

    /// The waiter gave up (timeout or cancellation). True if it was still waiting, i.e. the
    /// caller must fail it; false if it has already been granted something.
    mutating func abandon(_ waiter: WaiterID) -> Bool {
        guard let index = waiters.firstIndex(of: waiter) else { return false }
        waiters.remove(at: index)
        return true
    }

    /// Stops the pool: every waiter must be failed, every idle connection closed. Leased
    /// connections are closed as they come back.
    mutating func shutDown() -> (waiters: [WaiterID], idle: [Connection]) {
        isShutDown = true
        let failed = waiters
        let closing = idle
        waiters.removeAll()
        idle.removeAll()
        openSlots -= closing.count
        return (failed, closing)
    }
}
