/// Where a connection's transaction stands, and which statements wait to travel with the next
/// one: one value instead of loose fields, in the spirit of postgres-nio's
/// ConnectionStateMachine. Free of I/O: each event is a method that changes the state and says
/// what the connection must send (an action), so every state × event is tested without a
/// socket (TransactionPipelineTests).
///
/// Statements wait because a round trip is the expensive part of a short transaction (+Pipeline):
/// BEGIN and the statements queued with `runWithNext` travel with the next real statement, and
/// those queued with `runAtCommit` travel with COMMIT (+CommitBatch).
struct TransactionPipeline {
    enum State {
        /// No transaction opened by `transaction`. `waiting`: statements queued by `runWithNext`.
        case idle(waiting: [PostgresQuery])
        /// Inside `transaction` (and perhaps savepoints within it).
        case open(OpenTransaction)
        /// The body ended the transaction with `queryCommitting`: nothing may run in it any more
        /// until `transaction` returns (`end`).
        case committedByBody
    }

    struct OpenTransaction {
        /// Statements to send before the next one, in order; BEGIN among them until it is sent.
        var waiting: [PostgresQuery]
        /// BEGIN is still in `waiting`: the server knows of no transaction yet.
        var beginWaiting: Bool
        /// Statements to send just before COMMIT, in order.
        var atCommit: [PostgresQuery]
        /// Per open savepoint, innermost last: how many `atCommit` statements were queued when it
        /// began (a savepoint that rolls back drops those queued inside it).
        var savepoints: [Int]
    }

    /// What to do with a `runAtCommit` statement.
    enum AtCommitAction: Equatable {
        case queued
        /// Outside a transaction there is no COMMIT to wait for.
        case runNow
    }

    /// How to end a transaction that the body did not commit itself.
    enum CommitAction {
        /// Nothing but BEGIN would be sent: the server never saw the transaction.
        case nothingToSend
        /// Send these, then COMMIT, as one pipeline.
        case send([PostgresQuery])
    }

    /// How to run `queryCommitting`'s statement.
    enum CommittingAction {
        /// Not in the outermost level of a transaction: an ordinary statement.
        case runPlain
        /// Send `opening`, the statement, `closing`, then COMMIT, as one pipeline.
        case send(opening: [PostgresQuery], closing: [PostgresQuery])
    }

    private(set) var state: State = .idle(waiting: [])

    /// 0 outside a transaction, 1 in it, one more per savepoint.
    var depth: Int {
        switch state {
        case .idle: return 0
        case .open(let transaction): return 1 + transaction.savepoints.count
        case .committedByBody: return 1
        }
    }

    /// True while BEGIN waits unsent (the transaction exists for the program, not yet for the server).
    var beginWaiting: Bool {
        if case .open(let transaction) = state { return transaction.beginWaiting }
        return false
    }

    /// Statements waiting for the next one.
    var waiting: [PostgresQuery] {
        switch state {
        case .idle(let waiting): return waiting
        case .open(let transaction): return transaction.waiting
        case .committedByBody: return []
        }
    }

    static let committedMisuse = PostgresError.misuse(
        "the transaction was committed by queryCommitting: nothing may run in it afterwards")

    /// Refuses every statement once the body has committed.
    func checkMayRun() throws {
        if case .committedByBody = state { throw Self.committedMisuse }
    }

    // MARK: - Events

    /// `runWithNext`: `query` waits for the next statement.
    mutating func queueWithNext(_ query: PostgresQuery) throws {
        switch state {
        case .idle(var waiting):
            waiting.append(query)
            state = .idle(waiting: waiting)
        case .open(var transaction):
            transaction.waiting.append(query)
            state = .open(transaction)
        case .committedByBody:
            throw Self.committedMisuse
        }
    }

    /// `transaction` starts: `begin` (BEGIN with its isolation level) waits, after anything
    /// already waiting, for the body's first statement.
    mutating func begin(_ begin: PostgresQuery) throws {
        guard case .idle(let waiting) = state else {
            throw PostgresError.misuse("a transaction is already open on this connection")
        }
        state = .open(OpenTransaction(waiting: waiting + [begin], beginWaiting: true, atCommit: [], savepoints: []))
    }

    /// A nested `transaction` starts a savepoint; returns its depth (for its name).
    mutating func enterSavepoint() throws -> Int {
        switch state {
        case .idle: throw PostgresError.misuse("a savepoint needs an open transaction")
        case .committedByBody: throw Self.committedMisuse
        case .open(var transaction):
            transaction.savepoints.append(transaction.atCommit.count)
            state = .open(transaction)
            return transaction.savepoints.count
        }
    }

    /// The innermost savepoint ends; when `rolledBack`, what it queued for COMMIT is dropped.
    mutating func leaveSavepoint(rolledBack: Bool) {
        guard case .open(var transaction) = state, let mark = transaction.savepoints.popLast() else { return }
        if rolledBack { transaction.atCommit.removeSubrange(mark...) }
        state = .open(transaction)
    }

    /// `runAtCommit`.
    mutating func queueAtCommit(_ query: PostgresQuery) throws -> AtCommitAction {
        switch state {
        case .idle: return .runNow
        case .committedByBody: throw Self.committedMisuse
        case .open(var transaction):
            transaction.atCommit.append(query)
            state = .open(transaction)
            return .queued
        }
    }

    /// A statement is about to be sent (or a script, or a COPY): returns the statements that go
    /// before it, in the same round trip; they no longer wait.
    mutating func takeWaiting() throws -> [PostgresQuery] {
        switch state {
        case .idle(let waiting):
            state = .idle(waiting: [])
            return waiting
        case .open(var transaction):
            let waiting = transaction.waiting
            transaction.waiting = []
            transaction.beginWaiting = false
            state = .open(transaction)
            return waiting
        case .committedByBody:
            throw Self.committedMisuse
        }
    }

    /// The body returned: what COMMIT takes with it. Nothing waits afterwards.
    mutating func commit() throws -> CommitAction {
        guard case .open(var transaction) = state else {
            throw PostgresError.misuse("COMMIT without an open transaction")
        }
        let statements = transaction.waiting + transaction.atCommit
        let onlyBegin = transaction.beginWaiting && statements.count == 1
        transaction.waiting = []
        transaction.atCommit = []
        transaction.beginWaiting = false
        state = .open(transaction)
        return onlyBegin ? .nothingToSend : .send(statements)
    }

    /// `queryCommitting`: at the outermost level the statement carries COMMIT, and the
    /// transaction is over for the body.
    mutating func commitWith() throws -> CommittingAction {
        switch state {
        case .idle: return .runPlain
        case .committedByBody: throw Self.committedMisuse
        case .open(let transaction):
            guard transaction.savepoints.isEmpty else { return .runPlain }
            state = .committedByBody
            return .send(opening: transaction.waiting, closing: transaction.atCommit)
        }
    }

    /// The transaction (or savepoint) rolls back: statements not sent yet need no undoing, the
    /// BEGIN among them.
    mutating func rollBack() {
        switch state {
        case .idle: state = .idle(waiting: [])
        case .open(var transaction):
            transaction.waiting = []
            transaction.beginWaiting = false
            state = .open(transaction)
        case .committedByBody: break
        }
    }

    /// `transaction` returns (or the pool takes the connection back): nothing is open or waits.
    mutating func end() {
        state = .idle(waiting: [])
    }
}
