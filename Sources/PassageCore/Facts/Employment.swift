/// `employment`: the person's engagement in a remunerated activity (ICRMW art. 2 and 5).
public struct Employment: Hashable, Sendable {
    /// Is to be, is, or has been engaged in a remunerated activity (art. 2(1)).
    public var status: EmploymentStatus?
    /// ISCO-08 skill level, 1 (elementary) to 4 (professional).
    public var skillLevel: Int?
    /// Authorised to enter, stay and work: "documented or in a regular situation" (art. 5).
    public var authorized: Bool?
    /// Admitted through a destination-state channel (employer sponsorship, skilled visa,
    /// bilateral labour agreement): the report's "institutionalized" migration.
    public var sponsored: Bool?
    /// The ICRMW art. 2(2) type.
    public var kind: EmploymentKind?
    /// (v2) The State of employment (art. 6(a)): where the person is to be, is, or was engaged.
    /// For a seafarer the flag State; for an offshore worker the State with jurisdiction over the
    /// installation.
    public var country: CountryCode?
    /// (v2) The capacity in which the person is in the State of employment, where art. 3 turns on it.
    public var capacity: EmploymentCapacity?
    /// (v2) Admitted to take up residence and engage in a remunerated activity in the State of
    /// employment (art. 3(f); it matters for seafarers and offshore workers).
    public var admittedToReside: Bool?

    public init(
        status: EmploymentStatus? = nil, skillLevel: Int? = nil, authorized: Bool? = nil,
        sponsored: Bool? = nil, kind: EmploymentKind? = nil, country: CountryCode? = nil,
        capacity: EmploymentCapacity? = nil, admittedToReside: Bool? = nil
    ) {
        self.status = status
        self.skillLevel = skillLevel
        self.authorized = authorized
        self.sponsored = sponsored
        self.kind = kind
        self.country = country
        self.capacity = capacity
        self.admittedToReside = admittedToReside
    }

    /// The valid ISCO-08 skill levels.
    public static let skillLevels = 1...4
}
