import NIOCore
import PassageServices
import Synchronization

/// How many channels (connections, and the listening socket) each event loop serves, so that a
/// quick command of a connection alone on its loop can run its database work on that loop
/// (`CallerLoop`) instead of on a pool thread: blocking a loop that serves nobody
/// else holds up nobody else. A channel that arrives on the loop while such a command runs
/// waits for it to end (one short transaction) before its greeting; from then on, neither
/// connection on that loop blocks it.
final class LoopOccupancy: Sendable {
    private let channels = Mutex<[ObjectIdentifier: Int]>([:])

    func enter(_ loop: any EventLoop) {
        channels.withLock { $0[ObjectIdentifier(loop), default: 0] += 1 }
    }

    func leave(_ loop: any EventLoop) {
        channels.withLock { counts in
            let key = ObjectIdentifier(loop)
            guard let count = counts[key] else { return }
            counts[key] = count > 1 ? count - 1 : nil
        }
    }

    /// True when `loop` serves exactly one channel (the caller's).
    func isAlone(on loop: any EventLoop) -> Bool {
        channels.withLock { $0[ObjectIdentifier(loop)] == 1 }
    }

    /// Runs `command` with its database work on `loop` when `quick` and alone there, else as
    /// usual (on the pool's threads).
    func run<T: Sendable>(quick: Bool, on loop: any EventLoop, _ command: () async -> T) async -> T {
        guard quick, isAlone(on: loop) else { return await command() }
        return await CallerLoop.permitting(loop) { await command() }
    }
}
