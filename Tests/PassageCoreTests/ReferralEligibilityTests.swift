import PassageCore
import Testing

/// The referral eligibility rules over every combination of the faults a referral can have:
/// the first rule a combination breaks, in the order a caseworker meets them, is the refusal.
@Suite("Referral eligibility")
struct ReferralEligibilityTests {
    /// One thing wrong with an otherwise eligible referral of a 15-year-old's SM need.
    enum Fault: CaseIterable {
        case caseMissing, needMissing, needOfAnotherCase, providerMissing, needClosed, providerInactive,
            noServiceForNeed, serviceNotOffered, tooYoungForProvider, noCaregiverAnswer, alreadyReferred
    }

    static let order = ReferralOrder(caseID: 1, needID: 2, providerID: 3, consent: .given, caregiverInformed: true)

    static func referral(with faults: Set<Fault>) -> (ReferralOrder, ReferralCandidate) {
        var order = order
        if faults.contains(.serviceNotOffered) { order.service = "cash" }
        if faults.contains(.noCaregiverAnswer) { order.caregiverInformed = nil }
        let need = ReferralCandidate.Need(
            caseID: faults.contains(.needOfAnotherCase) ? 9 : 1, code: "SM",
            status: faults.contains(.needClosed) ? "met" : "open", priority: "emergency")
        let provider = ReferralCandidate.Provider(
            name: "clinic", status: faults.contains(.providerInactive) ? "temporarily_closed" : "active",
            minimumAge: faults.contains(.tooYoungForProvider) ? 16 : nil, maximumAge: 17,
            servicesForNeed: faults.contains(.noServiceForNeed) ? [] : ["health", "psychosocial"],
            allServices: ["health", "psychosocial"])
        let candidate = ReferralCandidate(
            caseFound: !faults.contains(.caseMissing), age: 15,
            need: faults.contains(.needMissing) ? nil : need,
            provider: faults.contains(.providerMissing) ? nil : provider,
            openReferral: faults.contains(.alreadyReferred) ? 44 : nil)
        return (order, candidate)
    }

    /// The refusal a fault brings when it is the first one met.
    static func refusal(for fault: Fault, _ faults: Set<Fault>) -> ReferralRefusal {
        switch fault {
        case .caseMissing: .caseNotFound(1)
        case .needMissing, .needOfAnotherCase: .needNotFound(need: 2, case: 1)
        case .providerMissing: .providerNotFound(3)
        case .needClosed: .needNotOpen(need: 2, status: "met")
        case .providerInactive: .providerNotTakingReferrals(name: "clinic", id: 3, status: "temporarily_closed")
        case .noServiceForNeed:
            .noServiceForNeed(provider: "clinic", needCode: "SM", offers: ["health", "psychosocial"])
        case .serviceNotOffered:
            .serviceNotOffered("cash", provider: "clinic", needCode: "SM", choices: ["health", "psychosocial"])
        case .tooYoungForProvider: .outsideAges(provider: "clinic", minimum: 16, maximum: 17, age: 15)
        case .noCaregiverAnswer: .caregiverAnswerRequired(age: 15)
        case .alreadyReferred: .alreadyReferred(need: 2, provider: "clinic", referral: 44)
        }
    }

    @Test("every combination of faults: none is eligible, otherwise the first rule broken refuses")
    func everyCombination() {
        let all = Fault.allCases
        for mask in 0..<(1 << all.count) {
            let faults = Set(all.indices.filter { mask & (1 << $0) != 0 }.map { all[$0] })
            let (order, candidate) = Self.referral(with: faults)
            let outcome = Result { () throws(ReferralRefusal) -> ReferralTerms in
                try ReferralEligibility.decide(order, candidate)
            }
            if let first = all.first(where: faults.contains) {
                #expect(outcome == .failure(Self.refusal(for: first, faults)), "\(faults)")
            } else {
                #expect(
                    outcome
                        == .success(ReferralTerms(service: "health", caregiverInformed: true, priority: "emergency")))
            }
        }
    }

    @Test(
        "the terms: the asked-for service, the order's priority over the need's, a caregiver answer kept only for a child"
    )
    func terms() throws {
        var order = Self.order
        order.service = "psychosocial"
        order.priority = "normal"
        var (_, candidate) = Self.referral(with: [])
        #expect(
            try ReferralEligibility.decide(order, candidate)
                == ReferralTerms(service: "psychosocial", caregiverInformed: true, priority: "normal"))
        // An adult's caregiver answer is not recorded, and none is needed.
        candidate.age = 34
        candidate.provider?.maximumAge = nil
        #expect(try ReferralEligibility.decide(order, candidate).caregiverInformed == nil)
        order.caregiverInformed = nil
        #expect(try ReferralEligibility.decide(order, candidate).caregiverInformed == nil)
        // Without a recorded age no age rule applies, and no caregiver answer is asked for.
        candidate.age = nil
        candidate.provider?.minimumAge = 40
        #expect(try ReferralEligibility.decide(order, candidate).caregiverInformed == nil)
        // Over the provider's maximum age.
        candidate.age = 70
        candidate.provider?.minimumAge = nil
        candidate.provider?.maximumAge = 65
        #expect(throws: ReferralRefusal.outsideAges(provider: "clinic", minimum: nil, maximum: 65, age: 70)) {
            try ReferralEligibility.decide(order, candidate)
        }
    }

    @Test("each refusal's kind: what an interface does with it")
    func kinds() {
        #expect(ReferralRefusal.caseNotFound(1).kind == .notFound)
        #expect(ReferralRefusal.needNotOpen(need: 2, status: "met").kind == .conflict)
        #expect(ReferralRefusal.alreadyReferred(need: 2, provider: "c", referral: 4).kind == .conflict)
        #expect(
            ReferralRefusal.serviceNotOffered("x", provider: "c", needCode: "SM", choices: []).kind
                == .badArgument("service"))
        #expect(ReferralRefusal.caregiverAnswerRequired(age: 3).kind == .badArgument("caregiver"))
        #expect(
            ReferralRefusal.outsideAges(provider: "c", minimum: nil, maximum: 5, age: 9).description
                == "provider c serves ages 0 to 5; the person is 9")
        #expect(
            ReferralRefusal.noServiceForNeed(provider: "c", needCode: "SM", offers: []).description
                == "provider c offers no service for need SM (it offers no services)")
    }
}
