import Foundation

/// Runs blocking work (a child process, pg_ctl, a long synchronous query) on a thread of its
/// own and awaits it. Test functions run on Swift's cooperative pool, which has one thread per
/// core: a test that blocks one of them for seconds starves every concurrent test that awaits,
/// and their servers, on a two-core machine.
public func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Result { try body() })
        }
        thread.stackSize = 1 << 20
        thread.start()
    }
}
