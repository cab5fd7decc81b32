import HTTPTypes
import PassageCore
import Testing

@testable import PassageHTTP

/// The read pool's answer headers of `GET /v1/statistics` and `GET /v1/gaps/{kind}`: the
/// console's `replica …` line, and the lag alone when the standby answered; none without a
/// read pool (Docs/operations.md "Which commands read where").
@Suite struct ReplicaHeadersTests {
    func headers(_ source: ReadSource?) -> [String: String] {
        Dictionary(uniqueKeysWithValues: ReplicaHeaders.fields(source).map { ($0.0.rawName, $0.1) })
    }

    @Test func theStandbySaysItsLag() {
        #expect(
            headers(.standby(lag: .milliseconds(400)))
                == ["Passage-Replica": "lag=0.4s", "Passage-Replica-Lag": "0.4"])
    }

    @Test func thePrimarySaysWhyAndHasNoLag() {
        #expect(
            headers(.primary(because: .standbyBehind(lag: .seconds(45), bound: .seconds(30))))
                == ["Passage-Replica": "primary reason=standby-behind lag=45.0s max=30.0s"])
        #expect(
            headers(.primary(because: .standbyUnreachable)) == ["Passage-Replica": "primary reason=standby-unreachable"]
        )
    }

    @Test func noReadPoolNoHeader() {
        #expect(headers(nil).isEmpty)
    }
}
