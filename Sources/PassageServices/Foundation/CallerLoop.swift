import NIOCore
import Postgres

/// Lets an interface run a quick use case's transaction on its own event loop, when that loop
/// serves nobody else (Docs/architecture.md "Blocking stays off shared event loops"): the
/// interface knows who shares its loop, the database layer knows whether a healthy idle
/// connection is there at once. Anything else goes to the pool's threads as usual.
public enum CallerLoop {
    public static func permitting<T: Sendable>(_ loop: any EventLoop, _ work: () async -> T) async -> T {
        await PostgresPool.$callerLoop.withValue(loop) { await work() }
    }
}
