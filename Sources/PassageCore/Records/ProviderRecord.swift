/// A service provider (Open Referral HSDS shape): an organisation with its services, the areas
/// it serves, a capacity, an eligibility age range and a status.
public struct ProviderRecord: Sendable, Equatable {
    public let id: Int64
    /// The organisation's name; its users act for the receiving side of its referrals.
    public let name: String
    /// HSDS service status: active, inactive, defunct, temporarily_closed.
    public let status: String
    public let capacity: Int?
    public let minimumAge: Int?
    public let maximumAge: Int?
    public let description: String?
    /// Service type codes (IASC list), sorted.
    public let services: [String]
    /// ISO 3166-2 codes, sorted.
    public let areas: [String]

    public init(
        id: Int64, name: String, status: String, capacity: Int?, minimumAge: Int?, maximumAge: Int?,
        description: String?, services: [String], areas: [String]
    ) {
        self.id = id
        self.name = name
        self.status = status
        self.capacity = capacity
        self.minimumAge = minimumAge
        self.maximumAge = maximumAge
        self.description = description
        self.services = services
        self.areas = areas
    }

    public var isActive: Bool { status == "active" }

    /// The HSDS service statuses a provider may have.
    public static let statuses = ["active", "inactive", "defunct", "temporarily_closed"]
}

/// What an import or `PROVIDER ADD` sets for one provider.
public struct ProviderEntry: Sendable, Equatable {
    public var name: String
    public var status: String
    public var capacity: Int?
    public var minimumAge: Int?
    public var maximumAge: Int?
    public var description: String?
    public var services: [String]
    public var areas: [String]

    public init(
        name: String, status: String = "active", capacity: Int? = nil, minimumAge: Int? = nil, maximumAge: Int? = nil,
        description: String? = nil, services: [String], areas: [String]
    ) {
        self.name = name
        self.status = status
        self.capacity = capacity
        self.minimumAge = minimumAge
        self.maximumAge = maximumAge
        self.description = description
        self.services = services
        self.areas = areas
    }
}

/// The outcome of `PROVIDER ADD`: the provider, and whether it is new (false: the services and
/// areas were attached to an existing provider).
public struct ProviderRegistration: Sendable, Equatable {
    public let provider: ProviderRecord
    public let created: Bool

    public init(provider: ProviderRecord, created: Bool) {
        self.provider = provider
        self.created = created
    }
}

/// What `PROVIDER LIST` filters by: a service type, and an area (an ISO 3166-2 subdivision like
/// `CO-ANT`, or a whole country like `CO`).
public struct ProviderFilter: Sendable, Equatable {
    public var service: ServiceType?
    public var area: String?
    /// Providers with a larger id (paging); nil: from the first.
    public var after: Int64?
    /// At most this many; nil: every match.
    public var limit: Int?

    public init(service: ServiceType? = nil, area: String? = nil, after: Int64? = nil, limit: Int? = nil) {
        self.service = service
        self.area = area
        self.after = after
        self.limit = limit
    }
}
