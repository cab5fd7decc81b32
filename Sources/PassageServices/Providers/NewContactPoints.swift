import PassageCore

/// A location to add to a provider, as given (the use case checks it by `ContactPointRules`).
public struct NewProviderLocation: Sendable, Equatable {
    /// physical (default), postal or virtual.
    public var type: String?
    public var name: String?
    public var street: String?
    public var city: String?
    /// State, province or department (HSDS state_province).
    public var region: String?
    public var postalCode: String?
    /// ISO 3166-1 alpha-2.
    public var country: String?
    /// Decimal degrees, both or neither.
    public var latitude: String?
    public var longitude: String?

    public init(
        type: String? = nil, name: String? = nil, street: String? = nil, city: String? = nil, region: String? = nil,
        postalCode: String? = nil, country: String? = nil, latitude: String? = nil, longitude: String? = nil
    ) {
        self.type = type
        self.name = name
        self.street = street
        self.city = city
        self.region = region
        self.postalCode = postalCode
        self.country = country
        self.latitude = latitude
        self.longitude = longitude
    }
}

/// A phone to add to a provider, as given.
public struct NewProviderPhone: Sendable, Equatable {
    public var number: String
    public var extensionNumber: Int?
    /// text, voice, fax, cell, video, pager or textphone.
    public var type: String?
    public var description: String?
    /// The number of one of the provider's locations the phone is at.
    public var location: Int64?

    public init(
        number: String, extensionNumber: Int? = nil, type: String? = nil, description: String? = nil,
        location: Int64? = nil
    ) {
        self.number = number
        self.extensionNumber = extensionNumber
        self.type = type
        self.description = description
        self.location = location
    }
}

/// A contact to add to a provider (a referral focal point or desk), as given.
public struct NewProviderContact: Sendable, Equatable {
    public var name: String?
    public var title: String?
    public var department: String?
    public var email: String?

    public init(name: String? = nil, title: String? = nil, department: String? = nil, email: String? = nil) {
        self.name = name
        self.title = title
        self.department = department
        self.email = email
    }
}
