import PassageCore
import Testing

@Suite("Demo population: deterministic, plausible, lifecycle-consistent")
struct DemoPopulationTests {
    /// A fixed 'now' (2026-06-01 00:00 UTC): the rows depend on it.
    static let asOf: Int64 = 1_780_272_000

    /// The IASC service-to-need table of Schema/0004 (top-level codes).
    static let serviceNeeds: [String: [String]] = [
        "psychosocial": ["CR", "SC", "WR", "TR", "SV", "ER"], "child_care": ["CR", "SC", "SP"],
        "family_tracing": ["SC", "FU"],
        "womens_services": ["WR", "SV", "SP"], "disability": ["DS", "ER"],
        "legal_assistance": ["LP", "FU", "CR", "SV", "TR"],
        "safe_shelter": ["WR", "SV", "CR", "LP", "SC"], "core_relief_items": ["SP", "ER", "DS"],
        "cash": ["SP", "WR", "ER", "DS"],
        "health": ["SM", "DS", "TR", "SV", "ER"], "food_security": ["SP", "ER", "SM"],
        "shelter": ["SP", "ER", "DS", "WR"],
        "livelihoods_education": ["CR", "WR", "SP"],
        "other": ["CR", "SC", "WR", "ER", "SP", "DS", "SM", "FU", "LP", "TR", "SV"],
    ]

    static func population(cases: Int = 2_000, seed: UInt64 = 7) -> DemoPopulation {
        DemoPopulation(caseCount: cases, seed: seed, asOf: asOf, serviceNeeds: serviceNeeds)
    }

    @Test("the same seed gives the same organisations, providers and cases; another seed does not")
    func deterministic() {
        let first = Self.population()
        let second = Self.population()
        #expect(first.providers == second.providers)
        #expect(first.organisations == second.organisations)
        #expect(Array(first.cases) == Array(second.cases))
        // Any case can be drawn again on its own, as the loader's passes do.
        #expect(first.demoCase(at: 1_234) == Array(second.cases)[1_234])
        let other = Self.population(seed: 8)
        #expect(Array(other.cases.prefix(50)) != Array(first.cases.prefix(50)))
    }

    @Test("facts are valid case facts and the classifier finds all four movement categories")
    func plausibleFacts() throws {
        let classifier = Classifier()
        var categories: [String: Int] = [:]
        for demoCase in Self.population().cases {
            let facts = try CaseFacts.decode(jsonLine: demoCase.factsJSON)
            #expect(facts.ref == demoCase.ref)
            categories[classifier.classify(facts).primaryID, default: 0] += 1
        }
        for category in MovementCategory.allCases {
            #expect((categories[category.rawValue] ?? 0) > 100, "too few \(category.rawValue) cases: \(categories)")
        }
    }

    @Test("providers span many areas, offer services, and some are not active")
    func providers() {
        let population = Self.population()
        #expect(Set(population.providers.flatMap(\.areas)).count >= 40)
        #expect(population.providers.allSatisfy { !$0.services.isEmpty && !$0.areas.isEmpty })
        #expect(population.providers.contains { $0.status != "active" })
        #expect(Set(population.providers.map(\.name)).count == population.providers.count)
        #expect(
            population.providers.allSatisfy { provider in
                provider.areas.allSatisfy { $0.hasPrefix(provider.country + "-") }
            })
    }

    @Test("every referral follows the lifecycle: events chain from creation to its status, times agree")
    func lifecycle() {
        let population = Self.population()
        let reasons = [
            "declined": ["no_capacity", "not_eligible", "other"],
            "cancelled": ["no_longer_needed", "consent_withdrawn", "referred_elsewhere", "entered_in_error", "other"],
            "unsuccessful": [
                "client_refused", "lack_of_capacity", "no_longer_needed", "unable_to_contact_client",
                "unable_to_contact_provider", "other",
            ],
        ]
        let allowed: [String?: Set<String>] = [
            nil: ["pending"], "pending": ["accepted", "declined", "cancelled"],
            "accepted": ["completed", "cancelled"],
        ]
        var statuses: [String: Int] = [:]
        var overdue = 0
        for demoCase in population.cases {
            for need in demoCase.needs {
                #expect(need.identifiedAt >= demoCase.createdAt && need.identifiedAt <= population.asOf)
                let successful = need.referrals.filter { $0.outcome == "successful" }
                #expect((need.status == "met") == !successful.isEmpty)
                for (position, referral) in need.referrals.enumerated() {
                    statuses[referral.status, default: 0] += 1
                    let open = referral.status == "pending" || referral.status == "accepted"
                    if open { #expect(position == need.referrals.count - 1, "an open referral is the need's last") }
                    if referral.status == "pending" && referral.dueAt < population.asOf { overdue += 1 }
                    #expect(referral.createdAt >= need.identifiedAt)
                    #expect(referral.dueAt == referral.createdAt + DemoPopulation.responseSeconds[referral.priority]!)
                    #expect(population.providers[referral.provider].services.contains(referral.service))
                    #expect(population.providers[referral.provider].status == "active")
                    let events = referral.events
                    #expect(
                        events.first?.from == nil && events.first?.to == "pending"
                            && events.first?.at == referral.createdAt)
                    for (previous, event) in zip(events, events.dropFirst()) {
                        #expect(event.from == previous.to)
                        #expect(event.at >= previous.at)
                    }
                    for event in events { #expect(allowed[event.from]?.contains(event.to) == true) }
                    #expect(events.last?.to == referral.status)
                    // The lifecycle's own replay (PassageCore's state machine) accepts the history.
                    let records = events.map {
                        ReferralEventRecord(
                            from: $0.from.flatMap(ReferralStatus.init(rawValue:)),
                            to: ReferralStatus(rawValue: $0.to)!, outcome: $0.outcome, reason: $0.reason)
                    }
                    #expect((try? ReferralReplay.state(after: records))?.status.rawValue == referral.status)
                    #expect(events.allSatisfy { $0.at <= population.asOf })
                    #expect(referral.acceptedAt == events.first { $0.to == "accepted" }?.at)
                    #expect(referral.closedAt == (open ? nil : events.last?.at))
                    #expect((referral.outcome != nil) == (referral.status == "completed"))
                    switch (referral.status, referral.outcome) {
                    case ("declined", _): #expect(reasons["declined"]!.contains(referral.reason ?? ""))
                    case ("cancelled", _): #expect(reasons["cancelled"]!.contains(referral.reason ?? ""))
                    case (_, "unsuccessful"?): #expect(reasons["unsuccessful"]!.contains(referral.reason ?? ""))
                    default: #expect(referral.reason == nil)
                    }
                }
            }
        }
        for status in ["pending", "accepted", "declined", "completed", "cancelled"] {
            #expect((statuses[status] ?? 0) > 20, "too few \(status) referrals: \(statuses)")
        }
        #expect(overdue > 10)
    }
}
