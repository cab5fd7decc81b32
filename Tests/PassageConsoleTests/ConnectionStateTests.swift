import Testing
@testable import PassageConsole

@Suite struct ConnectionStateTests {
    private let start = ContinuousClock.now

    @Test func closingFromOutsideOnlyHappensWhenIdle() async {
        let state = ConnectionState(idleTimeout: .seconds(60), now: start)
        #expect(await state.beginWork(now: start))
        #expect(await state.requestClose(notice: "421 shutting down") == false)
        #expect(await state.phase == .busy)
        // The reader finishes its replies, then learns it must close.
        #expect(await state.endWork(now: start) == "421 shutting down")
        #expect(await state.phase == .closing)
        #expect(await state.beginWork(now: start) == false)
    }

    @Test func idleConnectionClosesAtOnceAndDropsLaterInput() async {
        let state = ConnectionState(idleTimeout: .seconds(60), now: start)
        #expect(await state.requestClose(notice: "421 shutting down"))
        #expect(await state.beginWork(now: start) == false)
        #expect(await state.requestClose(notice: "421 shutting down") == false)
    }

    @Test func idleTimeoutCountsFromTheLastActivityAndNotWhileBusy() async {
        let state = ConnectionState(idleTimeout: .seconds(60), now: start)
        #expect(await state.closeIfIdleExpired(now: start + .seconds(59)) == false)
        #expect(await state.beginWork(now: start + .seconds(30)))
        #expect(await state.closeIfIdleExpired(now: start + .seconds(600)) == false)
        #expect(await state.idleDeadline(now: start + .seconds(600)) == start + .seconds(660))
        #expect(await state.endWork(now: start + .seconds(100)) == nil)
        #expect(await state.idleDeadline() == start + .seconds(160))
        #expect(await state.closeIfIdleExpired(now: start + .seconds(159)) == false)
        #expect(await state.closeIfIdleExpired(now: start + .seconds(160)))
        #expect(await state.phase == .closing)
    }

    @Test func bytesThatCompleteNoLineDoNotKeepAConnectionAlive() async {
        let state = ConnectionState(idleTimeout: .seconds(60), now: start)
        for second in 1...59 {
            #expect(await state.beginWork(now: start + .seconds(second)))
            #expect(await state.endWork(completedLines: false, now: start + .seconds(second)) == nil)
        }
        #expect(await state.idleDeadline(now: start + .seconds(59)) == start + .seconds(60))
        #expect(await state.closeIfIdleExpired(now: start + .seconds(60)))
    }
}
