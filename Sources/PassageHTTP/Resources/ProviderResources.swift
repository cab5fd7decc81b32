import Foundation
import PassageCore
import PassageServices

/// `POST /v1/providers`: PROVIDER ADD's inputs.
struct NewProviderBody: Decodable, Sendable {
    let name: String
    let services: [String]
    let areas: [String]
    let capacity: Int?

    static let schema = JSONSchema.object(
        [
            ("name", .string(description: "the provider organisation's name", maxLength: 200)),
            (
                "services",
                .array(of: .string(choices: ServiceType.allCases.map(\.rawValue)), description: "service types offered")
            ),
            (
                "areas",
                .array(
                    of: .string(description: "ISO 3166-2 code, e.g. CO-ANT", maxLength: 6), description: "areas served")
            ),
            ("capacity", .integer(description: "open referrals it can take", minimum: 0, maximum: 1_000_000)),
        ], required: ["name", "services", "areas"])

    /// The use case's input, every value checked (400 naming it).
    func newProvider() throws(Problem) -> NewProvider {
        let name = name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 200 else {
            throw Problem.badArgument("name", "must be 1 to 200 characters")
        }
        for (index, service) in services.enumerated() where ServiceType(rawValue: service) == nil {
            throw Problem.badArgument(
                "services.\(index)", "must be one of " + ServiceType.allCases.map(\.rawValue).joined(separator: ", "))
        }
        for (index, area) in areas.enumerated() where SubdivisionCode(area) == nil {
            throw Problem.badArgument(
                "areas.\(index)", "must be an ISO 3166-2 code like CO-ANT (got \(area.prefix(20)))")
        }
        if let capacity, !(0...1_000_000).contains(capacity) {
            throw Problem.badArgument("capacity", "must be a whole number from 0 to 1000000")
        }
        return NewProvider(name: name, services: services, areas: areas, capacity: capacity)
    }
}

/// A provider of the directory (Open Referral HSDS shape).
struct ProviderResource: Encodable, Sendable {
    let provider: ProviderRecord

    init(_ provider: ProviderRecord) { self.provider = provider }

    func encode(to encoder: any Encoder) throws {
        var out = encoder.container(keyedBy: ReferralResource.Key.self)
        try out.encode(provider.id, forKey: "provider")
        try out.encode(provider.name, forKey: "name")
        try out.encode(provider.status, forKey: "status")
        try out.encode(provider.services, forKey: "services")
        try out.encode(provider.areas, forKey: "areas")
        try out.encode(provider.capacity, forKey: "capacity")
        try out.encode(provider.minimumAge, forKey: "minimum_age")
        try out.encode(provider.maximumAge, forKey: "maximum_age")
        try out.encode(provider.description, forKey: "description")
    }

    static let schema = JSONSchema.object(
        [
            ("provider", .integer(minimum: 1)), ("name", .string()),
            ("status", .string(choices: ProviderRecord.statuses)),
            ("services", .array(of: .string(), description: "service type codes, sorted")),
            ("areas", .array(of: .string(), description: "ISO 3166-2 codes, sorted")),
            ("capacity", .nullable(.integer(minimum: 0))),
            ("minimum_age", .nullable(.integer(minimum: 0))), ("maximum_age", .nullable(.integer(minimum: 0))),
            ("description", .nullable(.string())),
        ],
        required: [
            "provider", "name", "status", "services", "areas", "capacity", "minimum_age", "maximum_age", "description",
        ])
}
