/// The rows of a synthetic population, as plain values: PassageStore turns them into COPY rows.
/// Times are seconds since the Unix epoch (UTC); record keys are 32-bit, as the cell-key method
/// expects, and drawn from the seed so that the same seed gives the same published cells.

/// An organisation that opens cases and refers people (the providers are organisations too).
public struct DemoOrganisation: Sendable, Equatable {
    public let name: String
    /// The caseworker recorded on its cases and referrals.
    public let caseworker: String
    /// Relative share of the population's cases.
    let weight: Int
}

/// A service provider (Open Referral HSDS shape): one organisation serving some areas of a country.
public struct DemoProvider: Sendable, Equatable {
    public let name: String
    public let country: String
    public let areas: [String]
    public let services: [String]
    /// Open referrals it can hold; nil when not stated.
    public let capacity: Int?
    /// `active`, `inactive`, `temporarily_closed` or `defunct`.
    public let status: String
    public let description: String
}

public struct DemoCase: Sendable, Equatable {
    /// 0-based position in the population.
    public let index: Int
    public let ref: String
    /// Index into `DemoPopulation.organisations`.
    public let organisation: Int
    /// One JSON object in the case-facts vocabulary; the real classifier classifies it on load.
    public let factsJSON: String
    public let createdAt: Int64
    public let recordKey: UInt32
    public let needs: [DemoNeed]
}

public struct DemoNeed: Sendable, Equatable {
    public let code: String
    public let priority: String
    /// `open`, `met` or `withdrawn`.
    public let status: String
    public let identifiedAt: Int64
    public let updatedAt: Int64
    public let version: Int
    public let recordKey: UInt32
    /// In the order they were made; at most one is pending or accepted, and only the last.
    public let referrals: [DemoReferral]
}

public struct DemoReferral: Sendable, Equatable {
    /// Index into `DemoPopulation.providers`.
    public let provider: Int
    public let service: String
    public let priority: String
    public let status: String
    public let outcome: String?
    public let reason: String?
    public let createdAt: Int64
    public let dueAt: Int64
    public let acceptedAt: Int64?
    public let closedAt: Int64?
    /// Set only when the person is under 18.
    public let caregiverInformed: Bool?
    public let recordKey: UInt32
    /// Creation first (from nil to pending), then every transition, in time order.
    public let events: [DemoReferralEvent]

    public var version: Int { events.count }
    public var updatedAt: Int64 { events.last?.at ?? createdAt }
}

public struct DemoReferralEvent: Sendable, Equatable {
    public let at: Int64
    public let actor: String
    public let from: String?
    public let to: String
    public let outcome: String?
    public let reason: String?
}
