/// Draws one synthetic case: facts plausible for its movement category (the real classifier
/// decides the category on load), protection needs typical of that situation, and referrals
/// that follow the lifecycle pending → accepted → completed, or declined or cancelled, with
/// delays around the priority's response time (some answered late, some never).
struct DemoCaseDrawing {
    let population: DemoPopulation
    let index: Int

    private enum Situation { case refugee, displaced, worker, trafficked }

    private static let day: Int64 = 86_400
    private static let hour: Int64 = 3_600

    func draw(_ random: inout SplitMix64) -> DemoCase {
        let organisation = random.pick(
            weighted: population.organisations.enumerated().map { ($0.offset, $0.element.weight) })
        let situation = random.pick(weighted: [
            (Situation.refugee, 30), (.displaced, 25), (.worker, 30), (.trafficked, 15),
        ])
        let age = Self.age(for: situation, &random)
        let sex = random.pick(weighted: [("female", 46), ("male", 46), ("other", 2), ("unknown", 6)])
        let ref = "\(population.refPrefix)-\(index + 1)"
        let (facts, area) = Self.facts(situation, ref: ref, age: age, sex: sex, &random)
        // Cases opened over the two years before asOf, the recent months busier.
        let span = 730 * Self.day
        let ago = min(
            Int64(random.below(Int(span))), Int64(random.below(Int(span))) + Int64(random.below(Int(span / 2))))
        let createdAt = population.asOf - Self.hour - ago
        let recordKey = UInt32(truncatingIfNeeded: random.next())
        let caseworker = population.organisations[organisation].caseworker
        var needs: [DemoNeed] = []
        var codes: Set<String> = []
        let needCount = random.pick(weighted: [(0, 22), (1, 40), (2, 26), (3, 12)])
        for _ in 0..<needCount {
            let code = Self.needCode(situation, age: age, sex: sex, &random)
            guard codes.insert(code).inserted else { continue }
            needs.append(need(code, area: area, age: age, caseCreated: createdAt, caseworker: caseworker, &random))
        }
        return DemoCase(
            index: index, ref: ref, organisation: organisation, factsJSON: facts, createdAt: createdAt,
            recordKey: recordKey, needs: needs)
    }

    // MARK: Facts

    private static func age(for situation: Situation, _ random: inout SplitMix64) -> Int {
        switch situation {
        case .worker: return 18 + random.below(45)
        case .trafficked: return random.chance(25) ? 10 + random.below(8) : 18 + random.below(35)
        default:
            return random.pick(weighted: [
                (random.below(5), 12), (5 + random.below(7), 12), (12 + random.below(6), 10),
                (18 + random.below(42), 58), (60 + random.below(25), 8),
            ])
        }
    }

    /// The facts as one JSON object, and the area the person is in now.
    private static func facts(
        _ situation: Situation, ref: String, age: Int, sex: String,
        _ random: inout SplitMix64
    ) -> (String, String) {
        let head = #"{"ref":"\#(ref)","age":\#(age),"sex":"\#(sex)""#
        switch situation {
        case .refugee:
            let route = DemoPlaces.route(DemoPlaces.refugeeRoutes, &random)
            let area = DemoPlaces.area(in: route.host, &random)
            let asylum = random.pick(weighted: [
                ("applied", 40), ("recognized", 25), ("intends", 15), ("none", 12), ("rejected", 8),
            ])
            let grounds: String
            let causes: String
            if route.origin == "VE" {
                causes = #"["generalized_violence","human_rights_violations"]"#
                grounds = ""
            } else {
                causes = random.pick([
                    #"["persecution","armed_conflict"]"#, #"["persecution"]"#,
                    #"["armed_conflict","generalized_violence"]"#,
                ])
                let ground = random.pick(["political_opinion", "religion", "nationality", "social_group", "race"])
                grounds =
                    causes.contains("persecution")
                    ? #","persecution_grounds":["\#(ground)"],"persecution_agent":"\#(random.pick(["state", "non_state"]))""#
                    : ""
            }
            return (
                head
                    + #","nationality":"\#(route.origin)","current_country":"\#(route.host)","current_area":"\#(area)","crossed_border":true,"left_home":true,"forced":true,"causes":\#(causes)\#(grounds),"asylum":"\#(asylum)"}"#,
                area
            )
        case .displaced:
            let country = DemoPlaces.route(DemoPlaces.displacementCountries, &random).host
            let area = DemoPlaces.area(in: country, &random)
            let from = DemoPlaces.area(in: country, &random)
            let cause = random.pick(weighted: [
                ("armed_conflict", 40), ("generalized_violence", 20), ("natural_disaster", 25),
                ("food_insecurity", 10), ("human_made_disaster", 5),
            ])
            return (
                head
                    + #","nationality":"\#(country)","current_country":"\#(country)","current_area":"\#(area)","origin_area":"\#(from)","crossed_border":false,"left_home":true,"forced":true,"causes":["\#(cause)"]}"#,
                area
            )
        case .worker:
            let route = DemoPlaces.route(DemoPlaces.workerRoutes, &random)
            let area = DemoPlaces.area(in: route.host, &random)
            let skill = 1 + random.below(4)
            let authorized = random.chance(70)
            let status = random.pick(weighted: [("engaged", 70), ("seeking", 15), ("formerly_engaged", 15)])
            let kind = random.pick(weighted: [
                ("general", 60), ("seasonal", 12), ("project_tied", 10), ("specified_employment", 10), ("itinerant", 8),
            ])
            return (
                head
                    + #","nationality":"\#(route.origin)","current_country":"\#(route.host)","current_area":"\#(area)","crossed_border":true,"causes":["work"],"employment":{"status":"\#(status)","skill_level":\#(skill),"authorized":\#(authorized),"sponsored":\#(authorized && skill >= 3),"kind":"\#(kind)"}}"#,
                area
            )
        case .trafficked:
            let route = DemoPlaces.route(DemoPlaces.traffickingRoutes, &random)
            let area = DemoPlaces.area(in: route.host, &random)
            let purpose = random.pick(weighted: [("sexual_exploitation", 45), ("forced_labour", 40), ("servitude", 15)])
            let means =
                age < 18 && random.chance(50)
                ? "" : #","means":["\#(random.pick(["deception", "coercion", "abuse_of_vulnerability", "fraud"]))"]"#
            let crossed = route.origin != route.host
            return (
                head
                    + #","nationality":"\#(route.origin)","current_country":"\#(route.host)","current_area":"\#(area)","crossed_border":\#(crossed),"trafficking":{"acts":["recruitment","\#(random.pick(["transportation", "harbouring", "receipt"]))"]\#(means),"purposes":["\#(purpose)"],"age_at_act":\#(max(0, age - random.below(3)))}}"#,
                area
            )
        }
    }

    // MARK: Needs

    private static func needCode(_ situation: Situation, age: Int, sex: String, _ random: inout SplitMix64) -> String {
        if age < 18 && random.chance(45) {
            return random.pick(weighted: [
                ("CR", 30), ("SC-UC", 20), ("SC-SC", 15), ("CR-LW", 15), ("CR-AF", 5), ("FU-TR", 15),
            ])
        }
        if age >= 60 && random.chance(40) { return random.pick(["ER", "ER-NF"]) }
        if sex == "female" && random.chance(25) { return random.pick(["WR", "WR-WR", "WR-SF", "SV-VA", "SP-PT"]) }
        switch situation {
        case .refugee:
            return random.pick(weighted: [
                ("LP-ND", 20), ("LP-RR", 10), ("SM", 10), ("SM-CI", 10), ("TR-PI", 6), ("SV-VA", 6),
                ("FU-TR", 12), ("SP-PT", 8), ("DS-PM", 6), ("LP-DA", 4), ("DS-MM", 4), ("TR", 4),
            ])
        case .displaced:
            return random.pick(weighted: [
                ("SM-MN", 18), ("SP", 14), ("FU-TR", 14), ("DS", 8), ("SM", 12), ("LP-ND", 12),
                ("LP-AN", 6), ("SV", 6), ("DS-PM", 5), ("SM-CI", 5),
            ])
        case .worker:
            return random.pick(weighted: [
                ("LP-ND", 28), ("LP-DA", 14), ("SM-CI", 16), ("LP-AN", 18), ("SM", 12), ("DS-PM", 6), ("FU", 6),
            ])
        case .trafficked:
            return random.pick(weighted: [
                ("SV-VA", 24), ("LP-AN", 22), ("TR", 8), ("SM", 12), ("LP-ND", 14), ("SV-FM", 4),
                ("TR-PI", 6), ("LP-RR", 10),
            ])
        }
    }

    /// A need, and the referrals made for it until it was met, given up on, or asOf came.
    private func need(
        _ code: String, area: String, age: Int, caseCreated: Int64, caseworker: String,
        _ random: inout SplitMix64
    ) -> DemoNeed {
        let asOf = population.asOf
        let priority = random.pick(weighted: [("emergency", 10), ("urgent", 30), ("normal", 60)])
        let identifiedAt = min(caseCreated + Int64(random.below(Int(10 * Self.day))), asOf - 60)
        let recordKey = UInt32(truncatingIfNeeded: random.next())
        let top = String(code.prefix(2))
        let services = population.servicesForNeed[top] ?? []
        let candidates = (population.activeProvidersByArea[area] ?? []).filter {
            !services.isDisjoint(with: population.providers[$0].services)
        }
        var referrals: [DemoReferral] = []
        var metAt: Int64?
        // Some needs are never referred (no time yet, or nobody to refer to: a coverage gap).
        var next: Int64? =
            random.chance(85) && !candidates.isEmpty
            ? identifiedAt + Int64(random.below(Int(5 * Self.day))) : nil
        while let at = next, at < asOf, referrals.count < 3 {
            let provider = random.pick(candidates)
            let service = random.pick(population.providers[provider].services.filter { services.contains($0) })
            let (referral, retryAt, successfulAt) = drawReferral(
                provider: provider, service: service, priority: priority, at: at,
                age: age, caseworker: caseworker, &random)
            referrals.append(referral)
            metAt = successfulAt ?? metAt
            next = retryAt
        }
        var status = "open"
        var updatedAt = identifiedAt
        if let metAt {
            status = "met"
            updatedAt = metAt
        } else if referrals.allSatisfy({ ["declined", "cancelled", "completed"].contains($0.status) })
            && random.chance(3)
        {
            status = "withdrawn"
            updatedAt = min(
                asOf - 1,
                max(identifiedAt, referrals.last?.updatedAt ?? identifiedAt) + Int64(random.below(Int(20 * Self.day))))
        }
        return DemoNeed(
            code: code, priority: priority, status: status, identifiedAt: identifiedAt, updatedAt: updatedAt,
            version: status == "open" ? 1 : 2, recordKey: recordKey, referrals: referrals)
    }

    /// One referral's life. Returns it, when the caseworker refers again (after a decline, a
    /// cancellation or an unsuccessful service), and when the need was met.
    private func drawReferral(
        provider: Int, service: String, priority: String, at createdAt: Int64, age: Int,
        caseworker: String, _ random: inout SplitMix64
    ) -> (DemoReferral, Int64?, Int64?) {
        let asOf = population.asOf
        let response = DemoPopulation.responseSeconds[priority] ?? 1_209_600
        let dueAt = createdAt + response
        let staff = "staff of " + population.providers[provider].name
        var events = [
            DemoReferralEvent(at: createdAt, actor: caseworker, from: nil, to: "pending", outcome: nil, reason: nil)
        ]
        var status = "pending"
        var outcome: String?
        var reason: String?
        var acceptedAt: Int64?
        var closedAt: Int64?
        var retryAt: Int64?
        var metAt: Int64?
        func move(
            _ to: String, at: Int64, by actor: String, outcome newOutcome: String? = nil,
            reason newReason: String? = nil
        ) {
            events.append(
                DemoReferralEvent(at: at, actor: actor, from: status, to: to, outcome: newOutcome, reason: newReason))
            status = to
            outcome = newOutcome
            reason = newReason
        }
        // Most answer within the response time, some late, some never.
        let answer = random.pick(weighted: [("on_time", 70), ("late", 20), ("never", 10)])
        let answeredAt: Int64? =
            switch answer {
            case "on_time": createdAt + 600 + Int64(random.below(Int(response * 9 / 10)))
            case "late": dueAt + Int64(random.below(Int(response * 3)))
            default: nil
            }
        if let answeredAt, answeredAt < asOf {
            if random.chance(22) {
                move(
                    "declined", at: answeredAt, by: staff,
                    reason: random.pick(weighted: [("no_capacity", 50), ("not_eligible", 35), ("other", 15)]))
                closedAt = answeredAt
                retryAt = random.chance(60) ? answeredAt + Int64(random.below(Int(4 * Self.day))) : nil
            } else {
                move("accepted", at: answeredAt, by: staff)
                acceptedAt = answeredAt
                let doneAt =
                    answeredAt + Self.day * Int64(priority == "emergency" ? 1 + random.below(14) : 3 + random.below(75))
                if doneAt < asOf {
                    if random.chance(4) {
                        move(
                            "cancelled", at: doneAt, by: caseworker,
                            reason: random.pick(["consent_withdrawn", "no_longer_needed", "other"]))
                    } else if random.chance(78) {
                        move("completed", at: doneAt, by: staff, outcome: "successful")
                        metAt = doneAt
                    } else {
                        move(
                            "completed", at: doneAt, by: staff, outcome: "unsuccessful",
                            reason: random.pick(weighted: [
                                ("client_refused", 15), ("lack_of_capacity", 30), ("no_longer_needed", 10),
                                ("unable_to_contact_client", 25), ("unable_to_contact_provider", 10), ("other", 10),
                            ]))
                        retryAt = random.chance(50) ? doneAt + Int64(random.below(Int(7 * Self.day))) : nil
                    }
                    closedAt = doneAt
                }
            }
        } else {
            // Never answered (yet): after a long silence the caseworker may give up and refer elsewhere.
            let giveUpAt = createdAt + response + Self.day * Int64(10 + random.below(30))
            if giveUpAt < asOf && random.chance(50) {
                let why = random.pick(weighted: [("referred_elsewhere", 60), ("no_longer_needed", 25), ("other", 15)])
                move("cancelled", at: giveUpAt, by: caseworker, reason: why)
                closedAt = giveUpAt
                retryAt = why == "referred_elsewhere" ? giveUpAt + Self.hour : nil
            }
        }
        let referral = DemoReferral(
            provider: provider, service: service, priority: priority, status: status, outcome: outcome, reason: reason,
            createdAt: createdAt, dueAt: dueAt, acceptedAt: acceptedAt, closedAt: closedAt,
            caregiverInformed: age < 18 ? random.chance(85) : nil, recordKey: UInt32(truncatingIfNeeded: random.next()),
            events: events)
        return (referral, retryAt, metAt)
    }
}
