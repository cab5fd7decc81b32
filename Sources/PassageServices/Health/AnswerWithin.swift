import Foundation

/// Runs `work` and returns its result, or nil when it has not finished within `limit`: the
/// caller gets its answer on time even when the work is stuck in a blocking call (a libpq
/// connect to a host that does not answer, a pool with no free connection). The work is
/// cancelled at the limit and its late result dropped. A task group cannot do this: it waits
/// for every child, and a blocking call does not notice cancellation.
enum AnswerWithin {
    static func run<T: Sendable>(_ limit: Duration, _ work: @escaping @Sendable () async throws -> T) async
        -> Result<T, any Error>?
    {
        let answer = OneAnswer<Result<T, any Error>?>()
        return await withCheckedContinuation { continuation in
            answer.wait(with: continuation)
            let worker = Task {
                do {
                    answer.give(.success(try await work()))
                } catch {
                    answer.give(.failure(error))
                }
            }
            let timer = Task {
                try? await Task.sleep(for: limit)
                if answer.give(nil) { worker.cancel() }
            }
            answer.onAnswer { timer.cancel() }
        }
    }
}

/// A continuation resumed once, by whichever answer comes first.
private final class OneAnswer<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Value, Never>?
    private var answered = false
    private var afterAnswer: (@Sendable () -> Void)?

    func wait(with continuation: CheckedContinuation<Value, Never>) {
        lock.withLock { self.continuation = continuation }
    }

    /// Runs `action` once an answer is given (at once if it already was).
    func onAnswer(_ action: @escaping @Sendable () -> Void) {
        let now = lock.withLock { () -> Bool in
            if answered { return true }
            afterAnswer = action
            return false
        }
        if now { action() }
    }

    /// True when this was the first answer.
    @discardableResult
    func give(_ value: Value) -> Bool {
        let (continuation, action) = lock.withLock { () -> (CheckedContinuation<Value, Never>?, (@Sendable () -> Void)?) in
            guard !answered else { return (nil, nil) }
            answered = true
            defer {
                self.continuation = nil
                afterAnswer = nil
            }
            return (self.continuation, afterAnswer)
        }
        guard let continuation else { return false }
        continuation.resume(returning: value)
        action?()
        return true
    }
}
