import NIOCore

/// Runs a console connection's task on that connection's own event loop (SE-0417 task executor
/// preference). Why: on the default executor every request crossed threads four times (event
/// loop → Swift's cooperative pool → a database pool thread → the cooperative pool → the event
/// loop), each a wake-up, and on a busy machine a wait for a CPU. With the connection's task on
/// its event loop, reading the line, dispatching it, the connection's actors and writing the
/// reply all run where the bytes are, and only the database work leaves the loop: two
/// crossings. Handlers must not block (none does: database work runs on the pool's threads,
/// and sign-in's bcrypt runs inside PostgreSQL), with one exception that blocks nobody else: a
/// quick command of a connection alone on its loop runs its transaction there, with no crossing
/// at all (`LoopOccupancy`). Docs/performance.md "REFER" has the figures.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
