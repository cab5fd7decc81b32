import Testing

@testable import PassageConsole

/// bcrypt runs in the process now (Docs/security.md "5. Secrets stay in the application"): the
/// commands that hash or check a password must never run their database work on an event loop
/// (`LoopOccupancy` does that for quick commands only), so bcrypt stays on the pool's threads.
@Suite("Password work stays off the event loops")
struct PasswordWorkOffTheLoopTests {
    @Test("AUTH, USER ADD and USER PASSWD are not quick commands")
    func notQuick() throws {
        let table = ConsoleCommands.table(FakeServices.echoing())
        for name in ["AUTH", "USER ADD", "USER PASSWD"] {
            let spec = try #require(table.command(named: name), "\(name) is in the table")
            #expect(!spec.quick, "\(name) would run bcrypt on an event loop")
        }
    }
}
