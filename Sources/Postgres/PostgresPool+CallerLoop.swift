import NIOCore

extension PostgresPool {
    /// An event loop whose task may run pool bodies itself instead of handing them to a pool
    /// thread: set by the console (`LoopOccupancy`) around a quick command of a connection that
    /// has its loop to itself, where blocking the loop for one short transaction holds up no
    /// other channel. Each hand-off to a pool thread and back costs two thread wake-ups per
    /// command, which on a machine whose cores PostgreSQL also needs were the largest part of
    /// the gap between `REFER` and pgbench (Docs/performance.md "REFER"). Ignored unless the
    /// body would start on that very loop's thread.
    ///
    /// The loop path never does anything slow on the loop besides the body itself: it runs only
    /// when a healthy idle connection is free at once. A lease that had to wait for another, a
    /// slot whose connection must be opened or replaced (a reconnect), and a transaction's
    /// retries with their back-off sleep all go to the pool's threads instead.
    @TaskLocal public static var callerLoop: (any EventLoop)?

    /// Whether a body started now runs where the caller is, on `callerLoop`.
    static var runsOnCallerLoop: Bool {
        callerLoop?.inEventLoop == true
    }
}
