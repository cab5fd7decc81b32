import Testing

@testable import PassageCore

/// The referral lifecycle, every state × every event × every side.
@Suite struct ReferralLifecycleTests {
    static let states: [ReferralState] = [
        .pending, .accepted, .declined(reason: "no_capacity"), .completed(.successful),
        .completed(.unsuccessful(reason: "client_refused")), .cancelled(reason: "entered_in_error"),
    ]
    static let events: [ReferralEvent] = [
        .accept, .decline(reason: "not_eligible"), .complete(.successful),
        .complete(.unsuccessful(reason: "unable_to_contact_client")), .cancel(reason: "no_longer_needed"),
    ]
    static let sideSets: [Set<ReferralSide>] = [[], [.referring], [.receiving], [.referring, .receiving]]

    /// The legal moves written out by hand from the issue, independently of the code under test:
    /// (state before, event) → who may do it.
    static let legal: [(ReferralState, ReferralEvent, ReferralSide)] = [
        (.pending, .accept, .receiving),
        (.pending, .decline(reason: "not_eligible"), .receiving),
        (.pending, .cancel(reason: "no_longer_needed"), .referring),
        (.accepted, .complete(.successful), .receiving),
        (.accepted, .complete(.unsuccessful(reason: "unable_to_contact_client")), .receiving),
        (.accepted, .cancel(reason: "no_longer_needed"), .referring),
    ]

    @Test("every state × event × side: legal moves by the right side succeed, all else is refused")
    func everyStateEveryEvent() {
        var checked = 0
        for state in Self.states {
            for event in Self.events {
                let rule = Self.legal.first { $0.0 == state && $0.1 == event }
                for sides in Self.sideSets {
                    checked += 1
                    let before = state
                    let outcome = Result { () throws(ReferralTransitionError) -> ReferralState in
                        try ReferralLifecycle.apply(event, to: state, by: sides)
                    }
                    switch (rule, outcome) {
                    case (let rule?, .success(let after)) where sides.contains(rule.2):
                        #expect(after == event.target, "\(state) + \(event)")
                    case (let rule?, .failure(let error)) where !sides.contains(rule.2):
                        #expect(
                            error == .wrongSide(event.target.status, needs: rule.2), "\(state) + \(event) by \(sides)")
                    case (nil, .failure(let error)):
                        #expect(error == .illegal(from: state.status, to: event.target.status), "\(state) + \(event)")
                    default:
                        Issue.record("\(state) + \(event) by \(sides): unexpected \(outcome)")
                    }
                    // A value type: a refused move cannot have changed the state it was given.
                    #expect(state == before)
                }
            }
        }
        #expect(checked == Self.states.count * Self.events.count * Self.sideSets.count)
    }

    @Test("closed states are final for every event and every side")
    func closedStatesAreFinal() {
        for state in Self.states where !state.status.isOpen {
            for event in Self.events {
                #expect(throws: ReferralTransitionError.illegal(from: state.status, to: event.target.status)) {
                    try ReferralLifecycle.apply(event, to: state, by: [.referring, .receiving])
                }
            }
        }
    }

    @Test("an illegal move is refused in plain English, naming where it can go instead")
    func illegalMoveWording() {
        #expect(
            ReferralTransitionError.illegal(from: .accepted, to: .declined).description
                == "illegal transition: an accepted referral cannot become declined (from accepted it can become completed or cancelled)"
        )
        #expect(
            ReferralTransitionError.illegal(from: .pending, to: .completed).description
                == "illegal transition: a pending referral cannot become completed (from pending it can become accepted or declined or cancelled)"
        )
    }

    @Test("the allows table matches the legal list, status by status")
    func allowsTable() {
        for from in ReferralStatus.allCases {
            for to in ReferralStatus.allCases {
                let expected = Self.legal.contains { $0.0.status == from && $0.1.target.status == to }
                #expect(ReferralLifecycle.allows(from: from, to: to) == expected, "\(from) → \(to)")
            }
        }
    }

    @Test("requests: reasons and outcomes exactly where the lifecycle uses them")
    func requests() throws {
        #expect(try ReferralRequest(status: .accepted, outcome: nil, reason: nil).event == .accept)
        #expect(
            try ReferralRequest(status: .declined, outcome: nil, reason: "no_capacity").event
                == .decline(reason: "no_capacity"))
        #expect(
            try ReferralRequest(status: .cancelled, outcome: nil, reason: "other").event == .cancel(reason: "other"))
        #expect(
            try ReferralRequest(status: .completed, outcome: "successful", reason: nil).event == .complete(.successful))
        #expect(
            try ReferralRequest(status: .completed, outcome: "unsuccessful", reason: "other").event
                == .complete(.unsuccessful(reason: "other")))
        let refused: [(ReferralStatus, String?, String?, ReferralRequestError)] = [
            (.pending, nil, nil, .notATransition),
            (.accepted, nil, "other", .unexpectedReason(.accepted)),
            (.accepted, "successful", nil, .unexpectedOutcome(.accepted)),
            (.declined, nil, nil, .missingReason(.declined)),
            (.declined, nil, "", .missingReason(.declined)),
            (.cancelled, nil, nil, .missingReason(.cancelled)),
            (.cancelled, "successful", "other", .unexpectedOutcome(.cancelled)),
            (.completed, nil, nil, .missingOutcome),
            (.completed, "unsuccessful", nil, .missingReason(.completed)),
            (.completed, "successful", "other", .unexpectedReason(.completed)),
            (.completed, "maybe", nil, .unknownOutcome("maybe")),
        ]
        for (status, outcome, reason, error) in refused {
            #expect(throws: error) { try ReferralRequest(status: status, outcome: outcome, reason: reason) }
        }
        #expect(ReferralRequestError.missingReason(.declined).argument == "reason")
        #expect(ReferralRequestError.missingOutcome.argument == "outcome")
    }

    @Test("each event's reason list is the one its code must come from")
    func reasonKinds() {
        #expect(ReferralEvent.accept.reasonKind == nil)
        #expect(ReferralEvent.complete(.successful).reasonKind == nil)
        #expect(ReferralEvent.decline(reason: "x").reasonKind == "declined")
        #expect(ReferralEvent.complete(.unsuccessful(reason: "x")).reasonKind == "unsuccessful")
        #expect(ReferralEvent.cancel(reason: "x").reasonKind == "cancelled")
    }

    @Test("stored columns round-trip through the state")
    func storedColumns() throws {
        for state in Self.states where state != .pending {
            #expect(try ReferralState(status: state.status, outcome: state.outcome, reason: state.reason) == state)
        }
        #expect(throws: ReferralRequestError.self) { try ReferralState(status: .completed, outcome: nil, reason: nil) }
    }
}

@Suite struct ReferralReplayTests {
    static let created = ReferralEventRecord(from: nil, to: .pending)

    @Test("a history replays to its last state")
    func replays() throws {
        #expect(try ReferralReplay.state(after: [Self.created]) == .pending)
        #expect(
            try ReferralReplay.state(after: [
                Self.created, .init(from: .pending, to: .accepted),
                .init(from: .accepted, to: .completed, outcome: "unsuccessful", reason: "other"),
            ])
                == .completed(.unsuccessful(reason: "other")))
        #expect(
            try ReferralReplay.state(after: [
                Self.created, .init(from: .pending, to: .cancelled, reason: "entered_in_error"),
            ])
                == .cancelled(reason: "entered_in_error"))
    }

    @Test("a broken history names its first bad event")
    func brokenHistories() {
        #expect(throws: ReferralReplayError.empty) { try ReferralReplay.state(after: []) }
        #expect(throws: ReferralReplayError.self) {
            try ReferralReplay.state(after: [.init(from: .pending, to: .accepted)])
        }
        let skipped = [Self.created, ReferralEventRecord(from: .accepted, to: .completed, outcome: "successful")]
        #expect(throws: ReferralReplayError.badEvent(index: 1, "it starts from accepted but the referral was pending"))
        {
            try ReferralReplay.state(after: skipped)
        }
        let afterClose = [
            Self.created, ReferralEventRecord(from: .pending, to: .declined, reason: "other"),
            ReferralEventRecord(from: .declined, to: .accepted),
        ]
        #expect(throws: ReferralReplayError.self) { try ReferralReplay.state(after: afterClose) }
        do {
            _ = try ReferralReplay.state(after: afterClose)
        } catch {
            #expect(error.description.hasPrefix("event 3:"))
        }
    }
}

@Suite struct ReferralDeadlineTests {
    static let times = ReferralResponseTimes([
        "emergency": .seconds(24 * 3600), "urgent": .seconds(72 * 3600),
        "normal": .seconds(14 * 86400),
    ])

    @Test("due time is creation plus the priority's response time, taken as data")
    func dueTimes() throws {
        let made = Duration.seconds(1_700_000_000)
        #expect(try Self.times.due(priority: "emergency", createdAt: made) == made + .seconds(86_400))
        #expect(try Self.times.due(priority: "normal", createdAt: made) == made + .seconds(1_209_600))
        let configured = ReferralResponseTimes(["emergency": .seconds(3600)])
        #expect(try configured.due(priority: "emergency", createdAt: made) == made + .seconds(3600))
        #expect(throws: ReferralDeadlineError.self) { try configured.due(priority: "normal", createdAt: made) }
    }

    @Test("overdue: open after its due time, never when closed")
    func overdue() {
        let due = Duration.seconds(1000)
        for status in ReferralStatus.allCases {
            #expect(ReferralDeadline.isOverdue(status: status, due: due, now: .seconds(1001)) == status.isOpen)
            #expect(!ReferralDeadline.isOverdue(status: status, due: due, now: .seconds(1000)))
        }
    }
}

@Suite struct NeedStatusTests {
    @Test("a need moves between any two different statuses, never to the one it has")
    func changes() throws {
        for from in NeedStatus.allCases {
            for to in NeedStatus.allCases {
                if from == to {
                    #expect(throws: NeedStatusError.unchanged(from)) { try NeedStatus.change(from: from, to: to) }
                } else {
                    #expect(try NeedStatus.change(from: from, to: to) == to)
                }
            }
        }
    }

    @Test("need code shape XX or XX-YY")
    func codeShape() {
        for good in ["LP", "SV-VA", "CR-CP"] { #expect(NeedCode.isWellFormed(good)) }
        for bad in ["", "L", "lp", "LPX", "SV-", "SV-VAX", "SV-VA-XX", "S1"] { #expect(!NeedCode.isWellFormed(bad)) }
        #expect(NeedCode.topLevel("SV-VA") == "SV")
        #expect(NeedCode.topLevel("LP") == "LP")
    }
}
