/// Where the synthetic population lives: plausible routes per movement category, each host
/// country with a few of its real ISO 3166-2 first-level subdivisions. Describes no real person.
enum DemoPlaces {
    struct Route {
        let origin: String
        let host: String
        /// How common the route is among its category's cases.
        let weight: Int
    }

    static let refugeeRoutes = [
        Route(origin: "SY", host: "TR", weight: 30), Route(origin: "AF", host: "PK", weight: 20),
        Route(origin: "SS", host: "UG", weight: 15), Route(origin: "VE", host: "CO", weight: 25),
        Route(origin: "SD", host: "TD", weight: 10), Route(origin: "MM", host: "BD", weight: 12),
        Route(origin: "SY", host: "DE", weight: 6), Route(origin: "AF", host: "DE", weight: 4),
    ]
    /// Internally displaced: origin and host are the same country.
    static let displacementCountries = [
        Route(origin: "CO", host: "CO", weight: 20), Route(origin: "UA", host: "UA", weight: 25),
        Route(origin: "NG", host: "NG", weight: 15), Route(origin: "CD", host: "CD", weight: 20),
        Route(origin: "ET", host: "ET", weight: 12), Route(origin: "PH", host: "PH", weight: 8),
    ]
    static let workerRoutes = [
        Route(origin: "PH", host: "AE", weight: 20), Route(origin: "IN", host: "SA", weight: 20),
        Route(origin: "NP", host: "QA", weight: 12), Route(origin: "GT", host: "US", weight: 12),
        Route(origin: "ID", host: "MY", weight: 18), Route(origin: "BD", host: "KW", weight: 8),
        Route(origin: "VE", host: "CO", weight: 10),
    ]
    static let traffickingRoutes = [
        Route(origin: "NG", host: "IT", weight: 20), Route(origin: "VN", host: "GB", weight: 15),
        Route(origin: "MD", host: "DE", weight: 10), Route(origin: "TH", host: "TH", weight: 10),
        Route(origin: "NP", host: "IN", weight: 15), Route(origin: "KH", host: "TH", weight: 15),
        Route(origin: "MM", host: "TH", weight: 15),
    ]

    /// First-level subdivisions of every host country, the most populous first (a case picks
    /// the earlier ones more often).
    static let areas: [String: [String]] = [
        "TR": ["TR-34", "TR-27", "TR-63", "TR-31"],
        "PK": ["PK-KP", "PK-BA", "PK-SD"],
        "UG": ["UG-N", "UG-W", "UG-C"],
        "CO": ["CO-ANT", "CO-NSA", "CO-DC", "CO-LAG", "CO-BOL"],
        "TD": ["TD-OD", "TD-WF", "TD-EE"],
        "BD": ["BD-B", "BD-C"],
        "DE": ["DE-BE", "DE-BY", "DE-NW"],
        "UA": ["UA-30", "UA-63", "UA-46", "UA-14"],
        "NG": ["NG-BO", "NG-AD", "NG-YO"],
        "CD": ["CD-NK", "CD-SK", "CD-IT"],
        "ET": ["ET-TI", "ET-AM", "ET-AF"],
        "PH": ["PH-00", "PH-07", "PH-14"],
        "AE": ["AE-DU", "AE-AZ", "AE-SH"],
        "SA": ["SA-01", "SA-02", "SA-04"],
        "QA": ["QA-DA", "QA-RA"],
        "US": ["US-TX", "US-CA", "US-AZ"],
        "MY": ["MY-10", "MY-14", "MY-01"],
        "KW": ["KW-KU", "KW-AH"],
        "IT": ["IT-82", "IT-25", "IT-62"],
        "GB": ["GB-ENG", "GB-SCT"],
        "TH": ["TH-10", "TH-50", "TH-20"],
        "IN": ["IN-DL", "IN-MH", "IN-WB"],
    ]

    /// Host countries in a fixed order (dictionary order is not stable across runs).
    static let hostCountries = [
        "TR", "PK", "UG", "CO", "TD", "BD", "DE", "UA", "NG", "CD", "ET", "PH",
        "AE", "SA", "QA", "US", "MY", "KW", "IT", "GB", "TH", "IN",
    ]

    /// An area of `country`, the first ones likelier (weights 4, 3, 2, 1, 1, …).
    static func area(in country: String, _ random: inout SplitMix64) -> String {
        let list = areas[country] ?? []
        let weighted = list.enumerated().map { ($0.element, max(1, 4 - $0.offset)) }
        return random.pick(weighted: weighted)
    }

    static func route(_ routes: [Route], _ random: inout SplitMix64) -> Route {
        random.pick(weighted: routes.map { ($0, $0.weight) })
    }
}
