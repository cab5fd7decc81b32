/// A provider with everything the HSDS 3 data package carries of it: the flat entry (name, status,
/// capacity, ages, description, service types, areas), the identifiers of its HSDS organization and
/// service, when its capacity was stated, and where and how to reach it. `HSDSPackage.render`
/// writes a list of them; `HSDSPackage.parse` reads them back, equal.
public struct DirectoryProvider: Sendable, Equatable {
    /// The HSDS organization's id (a lowercase UUID).
    public var organizationID: String
    /// The id of the one HSDS service the provider offers: its status, capacity and ages.
    public var serviceID: String
    public var entry: ProviderEntry
    /// When the capacity was stated, `2026-12-05T19:37:45Z` (UTC, whole seconds); nil without one.
    public var capacityStated: String?
    public var locations: [ProviderLocation]
    public var phones: [ProviderPhone]
    public var contacts: [ProviderContact]

    public init(
        organizationID: String, serviceID: String, entry: ProviderEntry, capacityStated: String? = nil,
        locations: [ProviderLocation] = [], phones: [ProviderPhone] = [], contacts: [ProviderContact] = []
    ) {
        self.organizationID = organizationID
        self.serviceID = serviceID
        self.entry = entry
        self.capacityStated = capacityStated
        self.locations = locations
        self.phones = phones
        self.contacts = contacts
    }
}

/// A place where a provider serves people (HSDS `location`, with its `address` when it has one).
public struct ProviderLocation: Sendable, Equatable {
    public var id: String
    /// `physical`, `postal` or `virtual` (HSDS location_type).
    public var type: String
    public var name: String?
    public var address: PostalAddress?
    /// WGS 84 degrees as decimal text with six places (`6.251840`); both or neither.
    public var latitude: String?
    public var longitude: String?

    public init(
        id: String, type: String = "physical", name: String? = nil, address: PostalAddress? = nil,
        latitude: String? = nil, longitude: String? = nil
    ) {
        self.id = id
        self.type = type
        self.name = name
        self.address = address
        self.latitude = latitude
        self.longitude = longitude
    }

    public static let types = ["physical", "postal", "virtual"]
}

/// HSDS `address`: the five parts HSDS requires of any address.
public struct PostalAddress: Sendable, Equatable {
    public var street: String
    public var city: String
    public var stateProvince: String
    public var postalCode: String
    /// ISO 3166-1 alpha-2.
    public var country: String

    public init(street: String, city: String, stateProvince: String, postalCode: String, country: String) {
        self.street = street
        self.city = city
        self.stateProvince = stateProvince
        self.postalCode = postalCode
        self.country = country
    }
}

/// A phone number of a provider (HSDS `phone`), of one of its locations when `locationID` is set.
public struct ProviderPhone: Sendable, Equatable {
    public var id: String
    public var locationID: String?
    public var number: String
    public var extensionNumber: Int?
    /// RFC 6350's types as HSDS lists them: text, voice, fax, cell, video, pager, textphone.
    public var type: String?
    public var description: String?

    public init(
        id: String, locationID: String? = nil, number: String, extensionNumber: Int? = nil, type: String? = nil,
        description: String? = nil
    ) {
        self.id = id
        self.locationID = locationID
        self.number = number
        self.extensionNumber = extensionNumber
        self.type = type
        self.description = description
    }

    public static let types = ["text", "voice", "fax", "cell", "video", "pager", "textphone"]
}

/// Someone to ask for at a provider, e.g. its referral focal point (HSDS `contact`).
public struct ProviderContact: Sendable, Equatable {
    public var id: String
    public var name: String?
    public var title: String?
    public var department: String?
    public var email: String?

    public init(
        id: String, name: String? = nil, title: String? = nil, department: String? = nil, email: String? = nil
    ) {
        self.id = id
        self.name = name
        self.title = title
        self.department = department
        self.email = email
    }
}

/// One service type of the taxonomy the package publishes (the IASC referral form's list).
public struct ServiceTypeTerm: Sendable, Equatable {
    public let code: String
    public let meaning: String

    public init(code: String, meaning: String) {
        self.code = code
        self.meaning = meaning
    }
}
