/// How a caseworker reaches a provider found in the directory: its locations, phones and contacts
/// (HSDS `location`/`address`, `phone`, `contact`), each listed under the number the console, the
/// API and the web page name it by. The HSDS values keep their package identifiers (`id`), so an
/// export carries what was set here and an import of that export gives the same entries.
public struct ProviderDetails: Sendable, Equatable {
    public var provider: ProviderRecord
    public var locations: [Listed<ProviderLocation>]
    /// A phone's `locationID` is its location's package identifier (`location(of:)` finds its number).
    public var phones: [Listed<ProviderPhone>]
    public var contacts: [Listed<ProviderContact>]

    public init(
        provider: ProviderRecord, locations: [Listed<ProviderLocation>] = [], phones: [Listed<ProviderPhone>] = [],
        contacts: [Listed<ProviderContact>] = []
    ) {
        self.provider = provider
        self.locations = locations
        self.phones = phones
        self.contacts = contacts
    }

    /// The number of the location a phone is at, if it is at one.
    public func location(of phone: ProviderPhone) -> Int64? {
        locations.first { $0.item.id == phone.locationID }?.number
    }
}

/// An entry with the number Passage names it by (its row id: stable until an import replaces the
/// provider's entries).
public struct Listed<Item: Sendable & Equatable>: Sendable, Equatable {
    public var number: Int64
    public var item: Item

    public init(number: Int64, item: Item) {
        self.number = number
        self.item = item
    }
}

/// The three kinds of contact point, as commands and paths name them.
public enum ContactPointKind: String, CaseIterable, Sendable {
    case location, phone, contact
}

/// A value of a location, phone or contact that cannot be kept: which argument, and why.
public struct ContactPointProblem: Error, Equatable, Sendable {
    public let argument: String
    public let message: String

    public init(argument: String, message: String) {
        self.argument = argument
        self.message = message
    }
}

/// The rules every location, phone and contact set by hand passes (the database's checks on
/// provider_locations, provider_phones and provider_contacts, said first and in words). The HSDS
/// import checks a package by the same limits (`HSDSAssembly`).
public enum ContactPointRules {
    public static let nameLimit = 200
    public static let streetLimit = 200
    public static let cityLimit = 100
    public static let regionLimit = 100
    public static let postalCodeLimit = 20
    public static let emailLimit = 254

    /// A location: a name, a full postal address (street, city, region, postal code, country —
    /// HSDS requires all five), or coordinates — at least one of them; coordinates as decimal degrees.
    /// `id` is left empty for the store to give.
    public static func location(
        type: String?, name: String?, street: String?, city: String?, region: String?, postalCode: String?,
        country: String?, latitude: String?, longitude: String?
    ) throws(ContactPointProblem) -> ProviderLocation {
        let type = type ?? "physical"
        guard ProviderLocation.types.contains(type) else {
            throw ContactPointProblem(
                argument: "type",
                message: "must be one of \(ProviderLocation.types.joined(separator: ", ")) (got \(type.prefix(40)))")
        }
        let name = try text(name, "name", limit: nameLimit)
        let parts = [
            ("street", try text(street, "street", limit: streetLimit)),
            ("city", try text(city, "city", limit: cityLimit)),
            ("region", try text(region, "region", limit: regionLimit)),
            ("postcode", try text(postalCode, "postcode", limit: postalCodeLimit)),
            ("country", try text(country, "country", limit: 2)),
        ]
        var address: PostalAddress?
        let given = parts.filter { $0.1 != nil }
        if !given.isEmpty {
            if let missing = parts.first(where: { $0.1 == nil }) {
                throw ContactPointProblem(
                    argument: missing.0,
                    message: "an address needs street, city, region, postcode and country (HSDS keeps all five or none)"
                )
            }
            guard let code = parts[4].1, CountryCode(code) != nil else {
                throw ContactPointProblem(
                    argument: "country",
                    message: "expected an ISO 3166-1 alpha-2 code like CO (got \(parts[4].1 ?? ""))")
            }
            address = PostalAddress(
                street: parts[0].1!, city: parts[1].1!, stateProvince: parts[2].1!, postalCode: parts[3].1!,
                country: code)
        }
        var location = ProviderLocation(id: "", type: type, name: name, address: address)
        switch (latitude, longitude) {
        case (nil, nil): break
        case (let latitude?, let longitude?):
            guard let north = coordinate(latitude, limit: 90) else {
                throw ContactPointProblem(
                    argument: "latitude",
                    message:
                        "expected decimal degrees from -90 to 90 with at most 6 decimal places (got \(latitude.prefix(40)))"
                )
            }
            guard let east = coordinate(longitude, limit: 180) else {
                throw ContactPointProblem(
                    argument: "longitude",
                    message:
                        "expected decimal degrees from -180 to 180 with at most 6 decimal places (got \(longitude.prefix(40)))"
                )
            }
            location.latitude = north
            location.longitude = east
        default:
            throw ContactPointProblem(
                argument: latitude == nil ? "latitude" : "longitude", message: "latitude and longitude go together")
        }
        if name == nil && address == nil && location.latitude == nil {
            throw ContactPointProblem(argument: "name", message: "a location needs a name, an address or coordinates")
        }
        return location
    }

    /// A phone: 3 to 30 digits, spaces or `( ) . / -` after an optional `+` (international `+57 604 444 1234`
    /// is best), an extension of up to 8 digits, one of HSDS's types, a short description.
    public static func phone(
        number: String, extensionNumber: Int?, type: String?, description: String?
    ) throws(ContactPointProblem) -> ProviderPhone {
        let number = number.trimmingSpaces
        guard HSDSPhone.isPlausible(number) else {
            throw ContactPointProblem(
                argument: "number",
                message: "expected 3 to 30 digits, spaces or ( ) . / -, optionally after a + (got \(number.prefix(40)))"
            )
        }
        if let extensionNumber, !(0...99_999_999).contains(extensionNumber) {
            throw ContactPointProblem(argument: "extension", message: "expected a whole number up to 8 digits")
        }
        if let type, !ProviderPhone.types.contains(type) {
            throw ContactPointProblem(
                argument: "type",
                message: "must be one of \(ProviderPhone.types.joined(separator: ", ")) (got \(type.prefix(40)))")
        }
        return ProviderPhone(
            id: "", number: number, extensionNumber: extensionNumber, type: type,
            description: try text(description, "description", limit: nameLimit))
    }

    /// A contact: a name, title, department or email — at least one; an email as `name@domain.tld`.
    public static func contact(
        name: String?, title: String?, department: String?, email: String?
    ) throws(ContactPointProblem) -> ProviderContact {
        let contact = ProviderContact(
            id: "", name: try text(name, "name", limit: nameLimit), title: try text(title, "title", limit: nameLimit),
            department: try text(department, "department", limit: nameLimit),
            email: try text(email, "email", limit: emailLimit))
        if let email = contact.email, !isEmail(email) {
            throw ContactPointProblem(
                argument: "email", message: "expected an address like name@example.org (got \(email.prefix(60)))")
        }
        if contact.name == nil && contact.title == nil && contact.department == nil && contact.email == nil {
            throw ContactPointProblem(argument: "name", message: "a contact needs a name, title, department or email")
        }
        return contact
    }

    /// `local@domain.tld`: one `@`, no spaces, a dot in the domain (the database's check).
    public static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, text.count <= emailLimit,
            !text.contains(where: { $0.isWhitespace })
        else { return false }
        let domain = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        return domain.count >= 2 && domain.allSatisfy { !$0.isEmpty }
    }

    /// A coordinate as the database keeps it, six decimal places (`6.25184` → `6.251840`), or nil
    /// when it is not decimal degrees within ±`limit` with at most six places.
    public static func coordinate(_ value: String, limit: Double) -> String? {
        let parts = value.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0]
        let fraction = parts.count > 1 ? parts[1] : ""
        let digits = whole.first == "-" ? whole.dropFirst() : whole[...]
        guard let number = Double(value), abs(number) <= limit, !digits.isEmpty,
            digits.allSatisfy(\.isASCIIDigit), fraction.count <= 6, fraction.allSatisfy(\.isASCIIDigit),
            parts.count == 1 || !fraction.isEmpty
        else { return nil }
        let sign = whole.first == "-" ? "-" : ""
        return sign + String(Int(digits)!) + "." + fraction + String(repeating: "0", count: 6 - fraction.count)
    }

    /// An optional text: trimmed, nil when empty, at most `limit` characters, no control characters.
    static func text(_ value: String?, _ argument: String, limit: Int) throws(ContactPointProblem) -> String? {
        guard let value = value?.trimmingSpaces, !value.isEmpty else { return nil }
        guard value.count <= limit else {
            throw ContactPointProblem(argument: argument, message: "longer than \(limit) characters")
        }
        guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw ContactPointProblem(argument: argument, message: "contains a control character (a line break or tab)")
        }
        return value
    }
}
