import PassageCore
import PassageServices

/// `PROVIDER SHOW|LOCATION|PHONE|CONTACT|REMOVE`: where and how to reach a provider found in the
/// directory (ProviderService). Casework reads it; administrators, who keep the directory, add
/// and remove locations, phones and contacts one at a time (the HSDS import replaces them all).
enum ProviderReachCommands {
    static let declarations: [CommandSpec] = [show, location, phone, contact, remove]

    static let providerArgument = Arguments.id("provider", "provider id (PROVIDER LIST)")

    static let show = CommandSpec(
        "PROVIDER SHOW", access: .roles(UseCase.showProvider.roles), positional: [providerArgument],
        summary: "a provider with its locations, phones and contacts", quick: true
    ) { services, invocation, session in
        let id = Int64(try invocation.int("provider"))
        let details = try await services.providers.details(of: id, by: invocation.actor(session))
        return .data(
            .lines("provider \(id)", lines(details)), message: "provider \(id)",
            fields: [ReplyField("provider", .int(Int(id)))])
    }

    static let location = CommandSpec(
        "PROVIDER LOCATION", access: .roles(UseCase.addProviderLocation.roles), positional: [providerArgument],
        named: [
            .optional("name", .text(maxLength: 200), help: "what the place is called, e.g. \"Sede Medellín\""),
            .optional("type", .choice(ProviderLocation.types), help: "physical (default), postal or virtual"),
            .optional("street", .text(maxLength: 200), help: "street address (an address needs all five parts)"),
            .optional("city", .text(maxLength: 100), help: "city or town"),
            .optional("region", .text(maxLength: 100), help: "state, province or department"),
            .optional("postcode", .text(maxLength: 20), help: "postal code"),
            .optional("country", .text(maxLength: 2), help: "ISO 3166-1 alpha-2, e.g. CO"),
            .optional("latitude", .text(maxLength: 12), help: "decimal degrees, -90 to 90 (with longitude)"),
            .optional("longitude", .text(maxLength: 12), help: "decimal degrees, -180 to 180 (with latitude)"),
        ],
        summary: "add a location to a provider (a name, an address or coordinates)", quick: true
    ) { services, invocation, session in
        let id = Int64(try invocation.int("provider"))
        let new = NewProviderLocation(
            type: invocation.optionalText("type"), name: invocation.optionalText("name"),
            street: invocation.optionalText("street"), city: invocation.optionalText("city"),
            region: invocation.optionalText("region"), postalCode: invocation.optionalText("postcode"),
            country: invocation.optionalText("country"), latitude: invocation.optionalText("latitude"),
            longitude: invocation.optionalText("longitude"))
        let number = try await services.providers.addLocation(new, to: id, by: invocation.actor(session))
        return .ok([ReplyField("provider", .int(Int(id))), ReplyField("location", .int(Int(number)))])
    }

    static let phone = CommandSpec(
        "PROVIDER PHONE", access: .roles(UseCase.addProviderPhone.roles),
        positional: [
            providerArgument,
            ArgumentSpec(
                "number", .text(maxLength: 40), help: "the number, international form best: \"+57 604 444 1234\""),
        ],
        named: [
            .optional("extension", .integer(0...99_999_999), help: "extension, up to 8 digits"),
            .optional("type", .choice(ProviderPhone.types), help: "voice, cell, text, fax, video, pager or textphone"),
            .optional("description", .text(maxLength: 200), help: "what it is for, e.g. \"intake desk, Mon–Fri 8–16\""),
            .optional(
                "location", .integer(1...Int(Int32.max)), help: "the provider's location it is at (PROVIDER SHOW)"),
        ],
        summary: "add a phone number to a provider", quick: true
    ) { services, invocation, session in
        let id = Int64(try invocation.int("provider"))
        let new = NewProviderPhone(
            number: try invocation.text("number"), extensionNumber: invocation.optionalInt("extension"),
            type: invocation.optionalText("type"), description: invocation.optionalText("description"),
            location: invocation.optionalInt("location").map(Int64.init))
        let number = try await services.providers.addPhone(new, to: id, by: invocation.actor(session))
        return .ok([ReplyField("provider", .int(Int(id))), ReplyField("phone", .int(Int(number)))])
    }

    static let contact = CommandSpec(
        "PROVIDER CONTACT", access: .roles(UseCase.addProviderContact.roles), positional: [providerArgument],
        named: [
            .optional("name", .text(maxLength: 200), help: "whom to ask for"),
            .optional("title", .text(maxLength: 200), help: "their role, e.g. \"referral focal point\""),
            .optional("department", .text(maxLength: 200), help: "desk or department"),
            .optional("email", .text(maxLength: 254), help: "e-mail address"),
        ],
        summary: "add a contact (name, title, department or email) to a provider", quick: true
    ) { services, invocation, session in
        let id = Int64(try invocation.int("provider"))
        let new = NewProviderContact(
            name: invocation.optionalText("name"), title: invocation.optionalText("title"),
            department: invocation.optionalText("department"), email: invocation.optionalText("email"))
        let number = try await services.providers.addContact(new, to: id, by: invocation.actor(session))
        return .ok([ReplyField("provider", .int(Int(id))), ReplyField("contact", .int(Int(number)))])
    }

    static let remove = CommandSpec(
        "PROVIDER REMOVE", access: .roles(UseCase.removeProviderContactPoint.roles),
        positional: [
            providerArgument,
            ArgumentSpec("kind", .choice(ContactPointKind.allCases.map(\.rawValue)), help: "what to remove"),
            Arguments.id("number", "its number (PROVIDER SHOW)"),
        ],
        summary: "remove a location, phone or contact of a provider", quick: true
    ) { services, invocation, session in
        let id = Int64(try invocation.int("provider"))
        let kind = try invocation.choice(ContactPointKind.self, "kind")
        let number = Int64(try invocation.int("number"))
        try await services.providers.remove(kind, number, of: id, by: invocation.actor(session))
        return .ok([ReplyField("provider", .int(Int(id))), ReplyField(kind.rawValue, .int(Int(number)))])
    }

    /// PROVIDER SHOW's lines: the directory entry, then each location, phone and contact by number.
    static func lines(_ details: ProviderDetails) -> [String] {
        let provider = details.provider
        var lines = [
            "provider: \(provider.name) (\(provider.status))",
            "services: \(provider.services.joined(separator: ","))",
            "areas: \(provider.areas.joined(separator: ","))",
            "capacity: \(provider.capacity.map(String.init) ?? "not stated")",
        ]
        for entry in details.locations {
            lines.append("location \(entry.number): " + ContactPointText.location(entry.item))
        }
        for entry in details.phones {
            lines.append(
                "phone \(entry.number): "
                    + ContactPointText.phone(entry.item, atLocation: details.location(of: entry.item)))
        }
        for entry in details.contacts {
            lines.append("contact \(entry.number): " + ContactPointText.contact(entry.item))
        }
        if details.locations.isEmpty && details.phones.isEmpty && details.contacts.isEmpty {
            lines.append("reach: no location, phone or contact recorded")
        }
        return lines
    }
}
