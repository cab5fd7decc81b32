import PassageCore
import Testing

@testable import PassageHTTP

/// The statistics and gaps pages' note of where the answer was read: the console's replica line
/// when a read pool answered, nothing at all without one (so the pages stay as they were).
@Suite struct ReplicaNoteTests {
    let texts = WebTexts(language: .en)

    @Test func theStandbysLagIsShown() {
        #expect(
            ReplicaNote.html(.standby(lag: .milliseconds(400)), texts)
                == "<p class=\"note\" id=\"replica\">Read through the read pool: lag=0.4s</p>\n")
    }

    @Test func thePrimarysReasonIsShownEscaped() {
        let html = ReplicaNote.html(.primary(because: .standbyBehind(lag: .seconds(45), bound: .seconds(30))), texts)
        #expect(html.contains("primary reason=standby-behind lag=45.0s max=30.0s"))
        #expect(html.hasPrefix("<p class=\"note\" id=\"replica\">"))
    }

    @Test func noReadPoolNoNote() {
        #expect(ReplicaNote.html(nil, texts) == "")
    }
}
