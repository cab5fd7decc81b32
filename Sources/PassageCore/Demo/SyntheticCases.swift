/// A deterministic generator of plausible case facts for demos and benchmarks: the same seed
/// always gives the same cases, on every machine. The cases cover the four movement
/// categories and the mixed situations the rules must handle; they describe no real person.
public struct SyntheticCases: Sequence, IteratorProtocol {
    private var random: SplitMix64
    private var index = 0
    private let count: Int
    private let prefix: String

    public init(count: Int, seed: UInt64, refPrefix: String = "demo") {
        self.random = SplitMix64(seed: seed)
        self.count = count
        self.prefix = refPrefix
    }

    public mutating func next() -> String? {
        guard index < count else { return nil }
        index += 1
        let ref = "\(prefix)-\(index)"
        let age = 1 + random.below(70)
        let sex = ["female", "male", "female", "male", "other", "unknown"][random.below(6)]
        switch random.below(10) {
        case 0, 1, 2:
            let (origin, host) = pick([("SY", "TR"), ("AF", "PK"), ("SS", "UG"), ("VE", "CO"), ("SD", "TD"), ("MM", "BD")])
            let asylum = ["applied", "recognized", "intends", "none"][random.below(4)]
            return #"{"ref":"\#(ref)","age":\#(age),"sex":"\#(sex)","nationality":"\#(origin)","current_country":"\#(host)","left_home":true,"forced":true,"causes":["persecution","armed_conflict"],"persecution_grounds":["political_opinion"],"asylum":"\#(asylum)"}"#
        case 3, 4:
            let (country, area) = pick([("CO", "CO-ANT"), ("UA", "UA-14"), ("NG", "NG-BO"), ("CD", "CD-NK"), ("ET", "ET-TI"), ("PH", "PH-14")])
            let cause = ["armed_conflict", "natural_disaster", "food_insecurity", "generalized_violence"][random.below(4)]
            return #"{"ref":"\#(ref)","age":\#(age),"sex":"\#(sex)","nationality":"\#(country)","current_country":"\#(country)","current_area":"\#(area)","left_home":true,"forced":true,"causes":["\#(cause)"]}"#
        case 5, 6, 7:
            let (origin, host) = pick([("PH", "AE"), ("IN", "SA"), ("NP", "QA"), ("GT", "US"), ("ID", "MY"), ("BD", "KW")])
            let skill = 1 + random.below(4)
            let authorized = random.below(3) > 0
            return #"{"ref":"\#(ref)","age":\#(18 + age % 45),"sex":"\#(sex)","nationality":"\#(origin)","current_country":"\#(host)","causes":["work"],"employment":{"status":"engaged","skill_level":\#(skill),"authorized":\#(authorized),"sponsored":\#(authorized && skill >= 3),"kind":"general"}}"#
        default:
            let (origin, host) = pick([("NG", "IT"), ("VN", "GB"), ("MD", "DE"), ("TH", "TH"), ("NP", "IN"), ("KH", "TH")])
            let purpose = ["sexual_exploitation", "forced_labour", "servitude"][random.below(3)]
            return #"{"ref":"\#(ref)","age":\#(age),"sex":"\#(sex)","nationality":"\#(origin)","current_country":"\#(host)","trafficking":{"acts":["recruitment","transportation"],"means":["deception"],"purposes":["\#(purpose)"],"age_at_act":\#(Swift.max(0, age - 1))}}"#
        }
    }

    private mutating func pick<T>(_ choices: [T]) -> T { choices[random.below(choices.count)] }
}

/// A small, fast, seedable generator (Steele, Lea and Flood's SplitMix64): reproducible
/// across platforms, unlike the system generator.
public struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform number in 0..<bound.
    public mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
