import Testing

@testable import Postgres

@Suite("Pool state machine (no sockets)")
struct PoolStateMachineTests {
    typealias Machine = PoolStateMachine<String>

    func isOpenNew(_ action: Machine.AcquireAction) -> Bool {
        if case .grant(.openNew) = action { return true }
        return false
    }

    func isWait(_ action: Machine.AcquireAction) -> Bool {
        if case .wait = action { return true }
        return false
    }

    @Test func opensUpToCapacityThenQueues() {
        var machine = Machine(capacity: 2)
        #expect(isOpenNew(machine.acquire(1)))
        #expect(isOpenNew(machine.acquire(2)))
        #expect(isWait(machine.acquire(3)))
        #expect(machine.openSlots == 2)
        #expect(machine.waiters == [3])
    }

    @Test func releasedConnectionGoesToLongestWaiter() {
        var machine = Machine(capacity: 1)
        _ = machine.acquire(1)
        _ = machine.acquire(2)
        _ = machine.acquire(3)
        guard case .resume(let first, .reuse(let connection)) = machine.release("c1") else {
            Issue.record("release should hand over")
            return
        }
        #expect(first == 2)
        #expect(connection == "c1")
        guard case .resume(let second, _) = machine.release("c1") else {
            Issue.record("second release should hand over")
            return
        }
        #expect(second == 3)
        guard case .none = machine.release("c1") else {
            Issue.record("with no waiter the connection becomes idle")
            return
        }
        #expect(machine.idle == ["c1"])
        guard case .grant(.reuse("c1")) = machine.acquire(4) else {
            Issue.record("an idle connection is reused")
            return
        }
    }

    @Test func abandonedWaiterIsSkipped() {
        var machine = Machine(capacity: 1)
        _ = machine.acquire(1)
        _ = machine.acquire(2)
        _ = machine.acquire(3)
        let firstAbandon = machine.abandon(2)
        let secondAbandon = machine.abandon(2)
        #expect(firstAbandon)
        #expect(!secondAbandon)  // already gone: the caller must not fail it twice
        guard case .resume(3, _) = machine.release("c") else {
            Issue.record("waiter 3 is next after 2 gave up")
            return
        }
    }

    @Test func discardedSlotLetsNextWaiterOpenAReplacement() {
        var machine = Machine(capacity: 1)
        _ = machine.acquire(1)
        _ = machine.acquire(2)
        guard case .resume(2, .openNew) = machine.discard() else {
            Issue.record("the waiter should be told to open a new connection")
            return
        }
        #expect(machine.openSlots == 1)
        guard case .none = machine.discard() else {
            Issue.record("no waiter left")
            return
        }
        #expect(machine.openSlots == 0)
        #expect(isOpenNew(machine.acquire(3)))
    }

    @Test func acquireWithoutWaitingNeverQueues() {
        var machine = Machine(capacity: 1)
        guard case .grant(.openNew) = machine.acquireWithoutWaiting() else {
            Issue.record("a free slot is granted")
            return
        }
        #expect(machine.acquireWithoutWaiting() == nil)
        #expect(machine.waiters.isEmpty)
    }

    @Test func newcomerDoesNotJumpTheQueue() {
        var machine = Machine(capacity: 1)
        _ = machine.acquire(1)
        _ = machine.acquire(2)
        _ = machine.discard()  // slot handed to 2 as openNew
        #expect(isWait(machine.acquire(3)))
    }

    @Test func shutdownFailsWaitersAndClosesReturns() {
        var machine = Machine(capacity: 2)
        _ = machine.acquire(1)
        _ = machine.acquire(2)
        _ = machine.release("idle")
        _ = machine.acquire(3)  // reuses "idle"
        _ = machine.acquire(4)  // waits
        let (waiters, idle) = machine.shutDown()
        #expect(waiters == [4])
        #expect(idle.isEmpty)
        guard case .close("c1") = machine.release("c1") else {
            Issue.record("returns after shutdown are closed")
            return
        }
        guard case .fail(.poolClosed) = machine.acquire(5) else {
            Issue.record("acquire after shutdown fails")
            return
        }
        _ = machine.discard()
        #expect(machine.leasedCount == 0)
    }
}
