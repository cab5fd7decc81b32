import Foundation
import PassageCore
import PassageServices

/// `POST /v1/providers/{provider}/locations`: PROVIDER LOCATION's inputs (checked by the use case,
/// `ContactPointRules`, whose refusals are 400s naming the field).
struct NewLocationBody: Decodable, Sendable {
    let type: String?
    let name: String?
    let street: String?
    let city: String?
    let region: String?
    let postalCode: String?
    let country: String?
    let latitude: Double?
    let longitude: Double?

    enum CodingKeys: String, CodingKey {
        case type, name, street, city, region, country, latitude, longitude
        case postalCode = "postal_code"
    }

    static let schema = JSONSchema.object(
        [
            ("type", .string(choices: ProviderLocation.types)),
            ("name", .string(description: "what the place is called", maxLength: 200)),
            (
                "street",
                .string(description: "an address needs street, city, region, postal_code and country", maxLength: 200)
            ),
            ("city", .string(maxLength: 100)),
            ("region", .string(description: "state, province or department", maxLength: 100)),
            ("postal_code", .string(maxLength: 20)),
            ("country", .string(description: "ISO 3166-1 alpha-2", maxLength: 2)),
            ("latitude", .number(description: "decimal degrees, -90 to 90, at most 6 places (with longitude)")),
            ("longitude", .number(description: "decimal degrees, -180 to 180, at most 6 places (with latitude)")),
        ], required: [], description: "a name, a full address or coordinates, at least one")

    var newLocation: NewProviderLocation {
        NewProviderLocation(
            type: type, name: name, street: street, city: city, region: region, postalCode: postalCode,
            country: country, latitude: latitude.map(Self.degrees), longitude: longitude.map(Self.degrees))
    }

    /// A JSON number as decimal text (`6.25184`); more than six places are refused by the rules.
    static func degrees(_ value: Double) -> String {
        value.isFinite ? "\(value)" : "not a number"
    }
}

/// `POST /v1/providers/{provider}/phones`: PROVIDER PHONE's inputs.
struct NewPhoneBody: Decodable, Sendable {
    let number: String
    let `extension`: Int?
    let type: String?
    let description: String?
    let location: Int64?

    static let schema = JSONSchema.object(
        [
            (
                "number",
                .string(description: "3 to 30 digits, spaces or ( ) . / -, optionally after a +", maxLength: 40)
            ),
            ("extension", .integer(minimum: 0, maximum: 99_999_999)), ("type", .string(choices: ProviderPhone.types)),
            ("description", .string(maxLength: 200)),
            ("location", .integer(description: "the provider's location it is at", minimum: 1)),
        ], required: ["number"])

    var newPhone: NewProviderPhone {
        NewProviderPhone(
            number: number, extensionNumber: `extension`, type: type, description: description, location: location)
    }
}

/// `POST /v1/providers/{provider}/contacts`: PROVIDER CONTACT's inputs.
struct NewContactBody: Decodable, Sendable {
    let name: String?
    let title: String?
    let department: String?
    let email: String?

    static let schema = JSONSchema.object(
        [
            ("name", .string(maxLength: 200)), ("title", .string(maxLength: 200)),
            ("department", .string(maxLength: 200)), ("email", .string(format: "email", maxLength: 254)),
        ], required: [], description: "at least one of the four")

    var newContact: NewProviderContact {
        NewProviderContact(name: name, title: title, department: department, email: email)
    }
}

/// A provider with where and how to reach it (`GET /v1/providers/{provider}`): the directory entry
/// and its locations, phones and contacts, each with its number and its HSDS identifier.
struct ProviderDetailsResource: Encodable, Sendable {
    let details: ProviderDetails

    typealias Key = ReferralResource.Key

    func encode(to encoder: any Encoder) throws {
        try ProviderResource(details.provider).encode(to: encoder)
        var out = encoder.container(keyedBy: Key.self)
        var locations = out.nestedUnkeyedContainer(forKey: "locations")
        for entry in details.locations {
            var item = locations.nestedContainer(keyedBy: Key.self)
            try item.encode(entry.number, forKey: "location")
            try item.encode(entry.item.id, forKey: "hsds_id")
            try item.encode(entry.item.type, forKey: "type")
            try item.encode(entry.item.name, forKey: "name")
            if let address = entry.item.address {
                var nested = item.nestedContainer(keyedBy: Key.self, forKey: "address")
                try nested.encode(address.street, forKey: "street")
                try nested.encode(address.city, forKey: "city")
                try nested.encode(address.stateProvince, forKey: "region")
                try nested.encode(address.postalCode, forKey: "postal_code")
                try nested.encode(address.country, forKey: "country")
            } else {
                try item.encodeNil(forKey: "address")
            }
            try item.encode(entry.item.latitude.flatMap(Double.init), forKey: "latitude")
            try item.encode(entry.item.longitude.flatMap(Double.init), forKey: "longitude")
        }
        var phones = out.nestedUnkeyedContainer(forKey: "phones")
        for entry in details.phones {
            var item = phones.nestedContainer(keyedBy: Key.self)
            try item.encode(entry.number, forKey: "phone")
            try item.encode(entry.item.id, forKey: "hsds_id")
            try item.encode(entry.item.number, forKey: "number")
            try item.encode(entry.item.extensionNumber, forKey: "extension")
            try item.encode(entry.item.type, forKey: "type")
            try item.encode(entry.item.description, forKey: "description")
            try item.encode(details.location(of: entry.item), forKey: "location")
        }
        var contacts = out.nestedUnkeyedContainer(forKey: "contacts")
        for entry in details.contacts {
            var item = contacts.nestedContainer(keyedBy: Key.self)
            try item.encode(entry.number, forKey: "contact")
            try item.encode(entry.item.id, forKey: "hsds_id")
            try item.encode(entry.item.name, forKey: "name")
            try item.encode(entry.item.title, forKey: "title")
            try item.encode(entry.item.department, forKey: "department")
            try item.encode(entry.item.email, forKey: "email")
        }
    }

    static let schema: JSONSchema = {
        guard case .object(let fields, let required, _) = ProviderResource.schema else {
            return ProviderResource.schema
        }
        let hsds = JSONSchema.string(description: "the HSDS package identifier (UUID)", format: "uuid")
        let text = JSONSchema.nullable(.string())
        let location = JSONSchema.object(
            [
                ("location", .integer(minimum: 1)), ("hsds_id", hsds),
                ("type", .string(choices: ProviderLocation.types)),
                ("name", text),
                (
                    "address",
                    .nullable(
                        .object(
                            [
                                ("street", .string()), ("city", .string()), ("region", .string()),
                                ("postal_code", .string()), ("country", .string()),
                            ], required: ["street", "city", "region", "postal_code", "country"]))
                ),
                ("latitude", .nullable(.number())), ("longitude", .nullable(.number())),
            ], required: ["location", "hsds_id", "type", "name", "address", "latitude", "longitude"])
        let phone = JSONSchema.object(
            [
                ("phone", .integer(minimum: 1)), ("hsds_id", hsds), ("number", .string()),
                ("extension", .nullable(.integer(minimum: 0))), ("type", text), ("description", text),
                ("location", .nullable(.integer(minimum: 1))),
            ], required: ["phone", "hsds_id", "number", "extension", "type", "description", "location"])
        let contact = JSONSchema.object(
            [
                ("contact", .integer(minimum: 1)), ("hsds_id", hsds), ("name", text), ("title", text),
                ("department", text), ("email", text),
            ], required: ["contact", "hsds_id", "name", "title", "department", "email"])
        return .object(
            fields + [
                ("locations", .array(of: location)), ("phones", .array(of: phone)), ("contacts", .array(of: contact)),
            ], required: required + ["locations", "phones", "contacts"])
    }()
}
