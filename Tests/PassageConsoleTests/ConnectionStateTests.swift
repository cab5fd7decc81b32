import Testing

@testable import PassageConsole

@Suite struct ConnectionStateTests {
    private let start = ContinuousClock.now

    @Test func closingFromOutsideOnlyHappensWhenIdle() async {
        let state = ConnectionState(idleTimeout: .seconds(60), now: start)
        #expect(state.beginWork(now: start))
        #expect(state.requestClose(notice: "421 shutting down") == false)
        #expect(state.phase == .busy)
        // The reader finishes its replies, then learns it must close.
        #expect(state.endWork(now: start) == "421 shutting down")
        #expect(state.phase == .closing)
        #expect(state.beginWork(now: start) == false)
    }

    @Test func idleConnectionClosesAtOnceAndDropsLaterInput() async {
        let state = ConnectionState(idleTimeout: .seconds(60), now: start)
        #expect(state.requestClose(notice: "421 shutting down"))
        #expect(state.beginWork(now: start) == false)
        #expect(state.requestClose(notice: "421 shutting down") == false)
    }

    @Test func idleTimeoutCountsFromTheLastActivityAndNotWhileBusy() async {
        let state = ConnectionState(idleTimeout: .seconds(60), now: start)
        #expect(state.closeIfIdleExpired(now: start + .seconds(59)) == false)
        #expect(state.beginWork(now: start + .seconds(30)))
        #expect(state.closeIfIdleExpired(now: start + .seconds(600)) == false)
        #expect(state.idleDeadline(now: start + .seconds(600)) == start + .seconds(660))
        #expect(state.endWork(now: start + .seconds(100)) == nil)
        #expect(state.idleDeadline() == start + .seconds(160))
        #expect(state.closeIfIdleExpired(now: start + .seconds(159)) == false)
        #expect(state.closeIfIdleExpired(now: start + .seconds(160)))
        #expect(state.phase == .closing)
    }

    @Test func bytesThatCompleteNoLineDoNotKeepAConnectionAlive() async {
        let state = ConnectionState(idleTimeout: .seconds(60), now: start)
        for second in 1...59 {
            #expect(state.beginWork(now: start + .seconds(second)))
            #expect(state.endWork(completedLines: false, now: start + .seconds(second)) == nil)
        }
        #expect(state.idleDeadline(now: start + .seconds(59)) == start + .seconds(60))
        #expect(state.closeIfIdleExpired(now: start + .seconds(60)))
    }
}
