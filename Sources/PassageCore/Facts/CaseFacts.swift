/// What is known about one person's movement situation: the case-facts contract v2
/// (case-facts.md section 2; a copy is in Tests/PassageCoreTests/Fixtures/contract). Optional properties are nil when the key is absent,
/// which the contract reads as "unknown" (except `asylum`, whose absence counts as `none`).
/// Values are validated when read, so a `CaseFacts` from `decode` or `applying` always obeys
/// the contract.
public struct CaseFacts: Hashable, Sendable {
    /// The caller's reference, 1–64 characters, echoed in the result.
    public var ref: String
    /// Completed years at assessment, 0–130.
    public var age: Int?
    public var sex: Sex?
    /// The person's nationality (the first, if several).
    public var nationality: Nationality?
    /// (v2) Any further nationalities (1951 art. 1A(2) second paragraph; OAU art. I(3)). Only
    /// with a country `nationality`, never repeating it; empty means "no other nationality".
    public var otherNationalities: [CountryCode]?
    /// The country where the person habitually lived before leaving home: the reference country
    /// for a stateless person, and (v2) the home country of the Guiding Principles.
    public var habitualResidence: CountryCode?
    /// Where the person lived before leaving.
    public var originArea: SubdivisionCode?
    /// Where the person is now (required).
    public var currentCountry: CountryCode
    public var currentArea: SubdivisionCode?
    /// Has crossed an internationally recognised border since leaving home. Decides "outside"
    /// only when no country of nationality or habitual residence is known (v2 section 3.1).
    public var crossedBorder: Bool?
    /// Has left home or place of habitual residence.
    public var leftHome: Bool?
    /// Was forced or obliged to leave (false: left by choice).
    public var forced: Bool?
    public var causes: [Cause]?
    public var persecutionGrounds: [PersecutionGround]?
    public var persecutionAgent: PersecutionAgent?
    /// Effective protection of the country of nationality is available and can be availed of.
    public var stateProtection: Bool?
    /// (v2) Effective protection of at least one of `otherNationalities` is available, and the
    /// person has no valid reason based on well-founded fear not to avail of it.
    public var otherNationalityProtection: Bool?
    /// The state of any claim to international protection; nil (absent) counts as `none`.
    public var asylum: AsylumState?
    /// (v2) Within UNRWA's mandate (1951 art. 1D); nil (absent) counts as `none`.
    public var unrwa: UNRWAStatus?
    /// (v2) Recognised where they have taken residence as having the rights and obligations of
    /// that country's nationals (1951 art. 1E).
    public var nationalRights: Bool?
    /// Serious reasons to apply an exclusion clause (1951 Convention art. 1F).
    public var excluded: Bool?
    public var employment: Nullable<Employment>?
    public var trafficking: Nullable<Trafficking>?
    /// Entry was procured by a smuggler for a benefit (consensual; ends on arrival).
    public var smuggled: Bool?

    public init(
        ref: String, currentCountry: CountryCode, age: Int? = nil, sex: Sex? = nil,
        nationality: Nationality? = nil, habitualResidence: CountryCode? = nil,
        originArea: SubdivisionCode? = nil, currentArea: SubdivisionCode? = nil,
        crossedBorder: Bool? = nil, leftHome: Bool? = nil, forced: Bool? = nil,
        causes: [Cause]? = nil, persecutionGrounds: [PersecutionGround]? = nil,
        persecutionAgent: PersecutionAgent? = nil, stateProtection: Bool? = nil,
        asylum: AsylumState? = nil, excluded: Bool? = nil,
        employment: Nullable<Employment>? = nil, trafficking: Nullable<Trafficking>? = nil,
        smuggled: Bool? = nil, otherNationalities: [CountryCode]? = nil,
        otherNationalityProtection: Bool? = nil, unrwa: UNRWAStatus? = nil, nationalRights: Bool? = nil
    ) {
        self.ref = ref
        self.currentCountry = currentCountry
        self.age = age
        self.sex = sex
        self.nationality = nationality
        self.habitualResidence = habitualResidence
        self.originArea = originArea
        self.currentArea = currentArea
        self.crossedBorder = crossedBorder
        self.leftHome = leftHome
        self.forced = forced
        self.causes = causes
        self.persecutionGrounds = persecutionGrounds
        self.persecutionAgent = persecutionAgent
        self.stateProtection = stateProtection
        self.asylum = asylum
        self.excluded = excluded
        self.employment = employment
        self.trafficking = trafficking
        self.smuggled = smuggled
        self.otherNationalities = otherNationalities
        self.otherNationalityProtection = otherNationalityProtection
        self.unrwa = unrwa
        self.nationalRights = nationalRights
    }

    /// The claim state the rules use: an absent `asylum` counts as `none`.
    public var asylumState: AsylumState { asylum ?? .none }

    /// The UNRWA state the rules use: an absent `unrwa` counts as `none`.
    public var unrwaState: UNRWAStatus { unrwa ?? .none }

    /// The employment details, when given (nil when absent or `null`).
    public var employmentDetails: Employment? { employment?.value }

    /// The trafficking details, when given (nil when absent or `null`).
    public var traffickingDetails: Trafficking? { trafficking?.value }

    /// Whether the person has this cause.
    public func has(_ cause: Cause) -> Bool { causes?.contains(cause) ?? false }

    /// The limits the contract puts on `ref` (characters are Unicode scalars, as in PostgreSQL).
    public static let referenceLength = 1...64
    /// The limits of `age` and `trafficking.age_at_act`.
    public static let ageRange = 0...130
}
