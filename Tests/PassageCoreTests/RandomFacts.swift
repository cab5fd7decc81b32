@testable import PassageCore

/// A seeded generator (PassageCore's SplitMix64, the one the demo data uses), so that every
/// property test run sees the same cases and a failure can be replayed from its seed.
struct SeededGenerator: RandomNumberGenerator {
    private var source: SplitMix64

    init(seed: UInt64) { source = SplitMix64(seed: seed) }

    mutating func next() -> UInt64 { source.next() }

    mutating func chance(_ probability: Double) -> Bool { Double.random(in: 0..<1, using: &self) < probability }
    mutating func bool() -> Bool { Bool.random(using: &self) }
    mutating func int(in range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }

    mutating func pick<V: CaseIterable>(_ type: V.Type) -> V {
        let all = Array(V.allCases)
        return all[int(in: 0...(all.count - 1))]
    }

    /// Up to `max` distinct values in random order (possibly none).
    mutating func subset<V: CaseIterable>(_ type: V.Type, max: Int = 3) -> [V] {
        var values = Array(V.allCases)
        values.shuffle(using: &self)
        return Array(values.prefix(int(in: 0...min(max, values.count))))
    }
}

/// Random valid case facts, biased so that every rule fires often: few countries (so that
/// nationality often equals the current country), regional-instrument countries included.
enum RandomFacts {
    static let countries = [
        "CO", "MX", "HN", "UG", "KE", "SD", "SY", "TR", "DE", "PH", "AE", "US", "MM", "BD", "ER", "IT",
    ]
    .compactMap(CountryCode.init)

    static func country(_ g: inout SeededGenerator) -> CountryCode {
        countries[g.int(in: 0...(countries.count - 1))]
    }

    /// Random facts; with `version2` false, only the keys and values of contract version 1.
    static func facts(_ number: Int, _ g: inout SeededGenerator, version2: Bool = true) -> CaseFacts {
        var facts = CaseFacts(ref: "p-\(number)", currentCountry: country(&g))
        facts.age = g.chance(0.8) ? g.int(in: 0...90) : nil
        facts.sex = g.chance(0.5) ? g.pick(Sex.self) : nil
        switch g.int(in: 0...9) {
        case 0: facts.nationality = .stateless
        case 1: facts.nationality = .unknown
        case 2: facts.nationality = nil
        case 3, 4, 5: facts.nationality = .country(facts.currentCountry)
        default: facts.nationality = .country(country(&g))
        }
        switch g.int(in: 0...9) {
        case 0, 1: facts.habitualResidence = country(&g)
        case 2: facts.habitualResidence = facts.currentCountry  // a foreign resident, or at home
        default: facts.habitualResidence = nil
        }
        if g.chance(0.3) { facts.originArea = SubdivisionCode("\(country(&g).alpha2)-\(g.int(in: 1...99))") }
        if g.chance(0.3) { facts.currentArea = SubdivisionCode("\(facts.currentCountry.alpha2)-A\(g.int(in: 1...9))") }
        facts.crossedBorder = g.chance(0.2) ? g.bool() : nil
        facts.leftHome = g.chance(0.8) ? g.bool() : nil
        facts.forced = g.chance(0.8) ? g.bool() : nil
        facts.causes = g.chance(0.85) ? g.subset(Cause.self) : nil
        facts.persecutionGrounds = g.chance(0.5) ? g.subset(PersecutionGround.self, max: 2) : nil
        facts.persecutionAgent = g.chance(0.5) ? g.pick(PersecutionAgent.self) : nil
        facts.stateProtection = g.chance(0.4) ? g.bool() : nil
        facts.asylum = g.chance(0.7) ? g.pick(AsylumState.self) : nil
        if !version2 && facts.asylum == .temporaryProtection { facts.asylum = .applied }
        facts.excluded = g.chance(0.4) ? g.chance(0.2) : nil
        switch g.int(in: 0...5) {
        case 0: facts.employment = .null
        case 1, 2, 3:
            var employment = Employment()
            employment.status = g.chance(0.8) ? g.pick(EmploymentStatus.self) : nil
            employment.skillLevel = g.chance(0.7) ? g.int(in: 1...4) : nil
            employment.authorized = g.chance(0.5) ? g.bool() : nil
            employment.sponsored = g.chance(0.5) ? g.bool() : nil
            employment.kind = g.chance(0.5) ? g.pick(EmploymentKind.self) : nil
            if version2 {
                employment.country = g.chance(0.25) ? country(&g) : nil
                employment.capacity = g.chance(0.3) ? g.pick(EmploymentCapacity.self) : nil
                employment.admittedToReside = g.chance(0.4) ? g.bool() : nil
            }
            facts.employment = .value(employment)
        default: facts.employment = nil
        }
        switch g.int(in: 0...5) {
        case 0: facts.trafficking = .null
        case 1, 2, 3:
            var trafficking = Trafficking()
            trafficking.acts = g.chance(0.8) ? g.subset(TraffickingAct.self, max: 2) : nil
            trafficking.means = g.chance(0.5) ? g.subset(TraffickingMeans.self, max: 2) : nil
            trafficking.purposes = g.chance(0.8) ? g.subset(TraffickingPurpose.self, max: 2) : nil
            if g.chance(0.5) { trafficking.ageAtAct = min(g.int(in: 0...40), facts.age ?? 130) }
            facts.trafficking = .value(trafficking)
        default: facts.trafficking = nil
        }
        facts.smuggled = g.chance(0.3) ? g.bool() : nil
        if version2 { addVersion2Facts(to: &facts, &g) }
        return facts
    }

    /// The keys new in contract v2, drawn only where the contract allows them.
    static func addVersion2Facts(to facts: inout CaseFacts, _ g: inout SeededGenerator) {
        if let nationality = facts.nationality?.country, g.chance(0.25) {
            var others: [CountryCode] = []
            for _ in 0..<g.int(in: 0...2) {
                let other = country(&g)
                if other != nationality && !others.contains(other) { others.append(other) }
            }
            facts.otherNationalities = others
            if !others.isEmpty && g.chance(0.7) { facts.otherNationalityProtection = g.bool() }
        }
        facts.unrwa = g.chance(0.2) ? g.pick(UNRWAStatus.self) : nil
        facts.nationalRights = g.chance(0.2) ? g.chance(0.3) : nil
    }
}
