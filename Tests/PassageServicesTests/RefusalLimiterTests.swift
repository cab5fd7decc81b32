import PassageServices
import Testing

/// The audit budget for refusals: a flood of refused commands cannot flood the audit log, and
/// what is not written is counted in the next entry.
@Suite("Refusal audit budget")
struct RefusalLimiterTests {
    static func refusal(_ user: String = "mallory", _ command: String = "CASE SHOW", id: Int = 1) -> Refusal {
        Refusal(user: user, command: command, code: 550, targets: ["case:\(id)"])
    }

    @Test("the same refusal repeated is written once a minute; the repeats are counted into the next entry")
    func identicalRefusals() {
        let limiter = RefusalLimiter(perWindow: 20, window: .seconds(60))
        let start = ContinuousClock.now
        #expect(limiter.decide(Self.refusal(), now: start) == .write(suppressed: 0))
        #expect(limiter.decide(Self.refusal(), now: start + .seconds(1)) == .suppress(first: true))
        for second in 2..<50 {
            #expect(limiter.decide(Self.refusal(), now: start + .seconds(second)) == .suppress(first: false))
        }
        // Another record is another kind of refusal: written, with the count of the repeats.
        #expect(limiter.decide(Self.refusal(id: 2), now: start + .seconds(51)) == .write(suppressed: 49))
        // A new minute: the first one is written again.
        #expect(limiter.decide(Self.refusal(), now: start + .seconds(61)) == .write(suppressed: 0))
    }

    @Test("2,000 different ids guessed by one user: at most 20 entries a minute; other users keep their own budget")
    func guessingIds() {
        let limiter = RefusalLimiter(perWindow: 20, window: .seconds(60))
        let start = ContinuousClock.now
        var written = 0
        for id in 1...2_000 {
            if case .write = limiter.decide(Self.refusal(id: id), now: start + .milliseconds(id)) { written += 1 }
        }
        #expect(written == 20)
        #expect(limiter.decide(Self.refusal("amina"), now: start + .seconds(3)) == .write(suppressed: 0))
        // The guesser's next minute: written, carrying the 1,980 that were not.
        #expect(limiter.decide(Self.refusal(id: 1), now: start + .seconds(62)) == .write(suppressed: 1_980))
    }
}
