/// A deterministic synthetic population for demos and benchmarks: caseworking organisations,
/// service providers across ISO 3166-2 areas, and cases with their protection needs and
/// referrals. The same seed, size, date and code lists always give the same rows, on every
/// machine. Case `i` is drawn from its own generator (`SplitMix64.forItem`), so the cases can be
/// produced as a stream, several times over (one pass per table loaded) and never all held.
public struct DemoPopulation: Sendable {
    public let caseCount: Int
    public let seed: UInt64
    /// "Now" for the population (seconds since the epoch): every time lies before it; a
    /// referral still waiting at this time is pending, overdue once past its due time.
    public let asOf: Int64
    public let refPrefix: String
    public let organisations: [DemoOrganisation]
    public let providers: [DemoProvider]
    /// Top-level need code → the service types that serve it (the database's service_type_needs).
    let servicesForNeed: [String: Set<String>]
    /// Area → indexes of the active providers serving it.
    let activeProvidersByArea: [String: [Int]]

    /// Response times by priority, as in Schema/0004 (the IASC form's 24 h, 72 h, 2 weeks).
    public static let responseSeconds: [String: Int64] = Dictionary(
        uniqueKeysWithValues: Priority.allCases.map {
            ($0.rawValue, $0.defaultResponseSeconds)
        })

    /// - Parameter serviceNeeds: service type → the top-level need codes it serves.
    public init(
        caseCount: Int, seed: UInt64, asOf: Int64, serviceNeeds: [String: [String]], refPrefix: String? = nil,
        mainOrganisation: String = "demo-ngo"
    ) {
        self.caseCount = caseCount
        self.seed = seed
        self.asOf = asOf
        self.refPrefix = refPrefix ?? "demo-\(seed)"
        var needs: [String: Set<String>] = [:]
        for (service, codes) in serviceNeeds { for code in codes { needs[code, default: []].insert(service) } }
        servicesForNeed = needs
        organisations = [
            DemoOrganisation(name: mainOrganisation, caseworker: "demo-caseworker", weight: 30),
            DemoOrganisation(name: "Harbour Relief", caseworker: "harbour-caseworker", weight: 20),
            DemoOrganisation(name: "Open Roads Legal Aid", caseworker: "openroads-caseworker", weight: 15),
            DemoOrganisation(name: "Northstar Community Services", caseworker: "northstar-caseworker", weight: 15),
            DemoOrganisation(name: "Lantern Migrant Support", caseworker: "lantern-caseworker", weight: 12),
            DemoOrganisation(name: "Bridgeway Protection Network", caseworker: "bridgeway-caseworker", weight: 8),
        ]
        let offered = Set(serviceNeeds.keys).sorted()
        providers = Self.makeProviders(caseCount: caseCount, seed: seed, services: offered)
        var byArea: [String: [Int]] = [:]
        for (index, provider) in providers.enumerated() where provider.status == "active" {
            for area in provider.areas { byArea[area, default: []].append(index) }
        }
        activeProvidersByArea = byArea
    }

    /// The case at `index` (0-based) with its needs and referrals.
    public func demoCase(at index: Int) -> DemoCase {
        var random = SplitMix64.forItem(index, of: seed)
        return DemoCaseDrawing(population: self, index: index).draw(&random)
    }

    /// All cases in order, drawn one at a time.
    public var cases: some Sequence<DemoCase> {
        (0..<caseCount).lazy.map { demoCase(at: $0) }
    }

    private static let providerWords = [
        "Haven", "Bridge", "Compass", "Harbor", "Lantern", "Anchor", "Beacon",
        "Crossroads", "Kinship", "Unity", "Horizon", "Refuge",
    ]
    private static let providerKinds = [
        "Services", "Aid", "Clinic", "Legal Centre", "Collective", "Foundation", "Network",
    ]

    /// A few providers per host country, more for a larger population; each serves one to three
    /// of the country's areas and one to four service types. About one in seven is not active.
    private static func makeProviders(caseCount: Int, seed: UInt64, services: [String]) -> [DemoProvider] {
        var random = SplitMix64(seed: seed ^ 0x5052_4F56_4944_4552)
        let perCountry = min(14, max(5, caseCount / 10_000))
        var providers: [DemoProvider] = []
        let common = services.filter { $0 != "other" }
        for country in DemoPlaces.hostCountries {
            let countryAreas = DemoPlaces.areas[country] ?? []
            for number in 1...perCountry {
                var areas: [String] = []
                for _ in 0..<(1 + random.below(min(3, countryAreas.count))) {
                    let area = DemoPlaces.area(in: country, &random)
                    if !areas.contains(area) { areas.append(area) }
                }
                var offered: [String] = []
                for _ in 0..<(2 + random.below(4)) {
                    let service = random.chance(5) || common.isEmpty ? random.pick(services) : random.pick(common)
                    if !offered.contains(service) { offered.append(service) }
                }
                let capacity: Int? = random.chance(80) ? max(5, caseCount * (25 + random.below(176)) / 40_000) : nil
                let status = random.pick(weighted: [
                    ("active", 85), ("inactive", 7), ("temporarily_closed", 5), ("defunct", 3),
                ])
                let name = "\(random.pick(providerWords)) \(random.pick(providerKinds)) \(country)-\(number)"
                providers.append(
                    DemoProvider(
                        name: name, country: country, areas: areas.sorted(), services: offered.sorted(),
                        capacity: capacity, status: status,
                        description: "synthetic provider (demo data): " + offered.sorted().joined(separator: ", ")))
            }
        }
        return providers
    }
}
