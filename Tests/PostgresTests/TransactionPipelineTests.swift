import Testing

@testable import Postgres

/// The connection's transaction pipeline, without a socket: every state × every event, each
/// with the action it returns and the state it leaves.
@Suite("Transaction pipeline state: every state × event")
struct TransactionPipelineTests {
    /// The states worth telling apart, each built by the events that lead there.
    static let states: [(name: String, make: @Sendable () throws -> TransactionPipeline)] = [
        ("idle", { TransactionPipeline() }),
        (
            "idle, a statement waiting",
            {
                var p = TransactionPipeline()
                try p.queueWithNext("SET_X")
                return p
            }
        ),
        (
            "BEGIN waiting",
            {
                var p = TransactionPipeline()
                try p.begin("BEGIN")
                try p.queueWithNext("SCOPE")
                return p
            }
        ),
        (
            "BEGIN sent, one at commit",
            {
                var p = TransactionPipeline()
                try p.begin("BEGIN")
                _ = try p.takeWaiting()
                _ = try p.queueAtCommit("AUDIT")
                return p
            }
        ),
        (
            "in a savepoint",
            {
                var p = TransactionPipeline()
                try p.begin("BEGIN")
                _ = try p.takeWaiting()
                _ = try p.queueAtCommit("AUDIT")
                _ = try p.enterSavepoint()
                _ = try p.queueAtCommit("INNER")
                return p
            }
        ),
        (
            "committed by the body",
            {
                var p = TransactionPipeline()
                try p.begin("BEGIN")
                _ = try p.commitWith()
                return p
            }
        ),
    ]

    /// Each event, applied to a pipeline; says what it returned.
    static let events: [(name: String, apply: @Sendable (inout TransactionPipeline) throws -> String)] = [
        (
            "queueWithNext",
            { p in
                try p.queueWithNext("NEXT")
                return "ok"
            }
        ),
        (
            "begin",
            { p in
                try p.begin("BEGIN2")
                return "ok"
            }
        ),
        ("enterSavepoint", { p in "depth \(try p.enterSavepoint())" }),
        (
            "leaveSavepoint",
            { p in
                p.leaveSavepoint(rolledBack: false)
                return "ok"
            }
        ),
        (
            "leaveSavepoint rolled back",
            { p in
                p.leaveSavepoint(rolledBack: true)
                return "ok"
            }
        ),
        ("queueAtCommit", { p in "\(try p.queueAtCommit("LAST"))" }),
        ("takeWaiting", { p in "send " + Self.sqls(try p.takeWaiting()) }),
        (
            "commit",
            { p in
                switch try p.commit() {
                case .nothingToSend: return "nothing to send"
                case .send(let statements): return "send " + Self.sqls(statements) + "+COMMIT"
                }
            }
        ),
        (
            "commitWith",
            { p in
                switch try p.commitWith() {
                case .runPlain: return "run plain"
                case .send(let opening, let closing):
                    return "send " + Self.sqls(opening) + "+Q+" + Self.sqls(closing) + "+COMMIT"
                }
            }
        ),
        (
            "rollBack",
            { p in
                p.rollBack()
                return "ok"
            }
        ),
        (
            "end",
            { p in
                p.end()
                return "ok"
            }
        ),
    ]

    static func sqls(_ queries: [PostgresQuery]) -> String { "[" + queries.map(\.sql).joined(separator: ",") + "]" }

    /// The state, in a few words: kind, depth, waiting, BEGIN waiting, queued for COMMIT.
    static func describe(_ p: TransactionPipeline) -> String {
        switch p.state {
        case .idle(let waiting): return "idle \(Self.sqls(waiting))"
        case .open(let t):
            return
                "open d\(p.depth) \(Self.sqls(t.waiting))\(t.beginWaiting ? " begin-waiting" : "") commit\(Self.sqls(t.atCommit))"
        case .committedByBody: return "committed"
        }
    }

    /// result → state after, for every state (rows) and event (columns, in `events` order).
    static let expected: [String: [String]] = [
        "idle": [
            "ok → idle [NEXT]",
            "ok → open d1 [BEGIN2] begin-waiting commit[]",
            "refused → idle []",
            "ok → idle []",
            "ok → idle []",
            "runNow → idle []",
            "send [] → idle []",
            "refused → idle []",
            "run plain → idle []",
            "ok → idle []",
            "ok → idle []",
        ],
        "idle, a statement waiting": [
            "ok → idle [SET_X,NEXT]",
            "ok → open d1 [SET_X,BEGIN2] begin-waiting commit[]",
            "refused → idle [SET_X]",
            "ok → idle [SET_X]",
            "ok → idle [SET_X]",
            "runNow → idle [SET_X]",
            "send [SET_X] → idle []",
            "refused → idle [SET_X]",
            "run plain → idle [SET_X]",
            "ok → idle []",
            "ok → idle []",
        ],
        "BEGIN waiting": [
            "ok → open d1 [BEGIN,SCOPE,NEXT] begin-waiting commit[]",
            "refused → open d1 [BEGIN,SCOPE] begin-waiting commit[]",
            "depth 1 → open d2 [BEGIN,SCOPE] begin-waiting commit[]",
            "ok → open d1 [BEGIN,SCOPE] begin-waiting commit[]",
            "ok → open d1 [BEGIN,SCOPE] begin-waiting commit[]",
            "queued → open d1 [BEGIN,SCOPE] begin-waiting commit[LAST]",
            "send [BEGIN,SCOPE] → open d1 [] commit[]",
            "send [BEGIN,SCOPE]+COMMIT → open d1 [] commit[]",
            "send [BEGIN,SCOPE]+Q+[]+COMMIT → committed",
            "ok → open d1 [] commit[]",
            "ok → idle []",
        ],
        "BEGIN sent, one at commit": [
            "ok → open d1 [NEXT] commit[AUDIT]",
            "refused → open d1 [] commit[AUDIT]",
            "depth 1 → open d2 [] commit[AUDIT]",
            "ok → open d1 [] commit[AUDIT]",
            "ok → open d1 [] commit[AUDIT]",
            "queued → open d1 [] commit[AUDIT,LAST]",
            "send [] → open d1 [] commit[AUDIT]",
            "send [AUDIT]+COMMIT → open d1 [] commit[]",
            "send []+Q+[AUDIT]+COMMIT → committed",
            "ok → open d1 [] commit[AUDIT]",
            "ok → idle []",
        ],
        "in a savepoint": [
            "ok → open d2 [NEXT] commit[AUDIT,INNER]",
            "refused → open d2 [] commit[AUDIT,INNER]",
            "depth 2 → open d3 [] commit[AUDIT,INNER]",
            "ok → open d1 [] commit[AUDIT,INNER]",
            "ok → open d1 [] commit[AUDIT]",
            "queued → open d2 [] commit[AUDIT,INNER,LAST]",
            "send [] → open d2 [] commit[AUDIT,INNER]",
            "send [AUDIT,INNER]+COMMIT → open d2 [] commit[]",
            "run plain → open d2 [] commit[AUDIT,INNER]",
            "ok → open d2 [] commit[AUDIT,INNER]",
            "ok → idle []",
        ],
        "committed by the body": [
            "refused → committed",
            "refused → committed",
            "refused → committed",
            "ok → committed",
            "ok → committed",
            "refused → committed",
            "refused → committed",
            "refused → committed",
            "refused → committed",
            "ok → committed",
            "ok → idle []",
        ],
    ]

    @Test(arguments: 0..<6)
    func everyEventFromState(_ stateIndex: Int) throws {
        let (stateName, make) = Self.states[stateIndex]
        let expected = try #require(Self.expected[stateName])
        for (eventIndex, event) in Self.events.enumerated() {
            var pipeline = try make()
            let result: String
            do { result = try event.apply(&pipeline) } catch { result = "refused" }
            #expect("\(result) → \(Self.describe(pipeline))" == expected[eventIndex], "\(stateName) × \(event.name)")
        }
    }

    @Test func onlyTheCommittedStateRefusesStatements() throws {
        for (name, make) in Self.states {
            let pipeline = try make()
            let refused = (try? pipeline.checkMayRun()) == nil
            #expect(refused == (name == "committed by the body"), "\(name)")
        }
    }

    @Test func beginWaitingUntilTheFirstStatementIsSent() throws {
        var pipeline = TransactionPipeline()
        try pipeline.begin("BEGIN")
        #expect(pipeline.beginWaiting && pipeline.depth == 1)
        #expect(try pipeline.commit().isNothingToSend, "a transaction that sent nothing ends without a round trip")
        pipeline.end()
        try pipeline.begin("BEGIN")
        _ = try pipeline.takeWaiting()
        #expect(!pipeline.beginWaiting)
        #expect(try !pipeline.commit().isNothingToSend)
    }
}

extension TransactionPipeline.CommitAction {
    var isNothingToSend: Bool {
        if case .nothingToSend = self { return true }
        return false
    }
}
