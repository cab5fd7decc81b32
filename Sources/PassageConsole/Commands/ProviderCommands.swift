import PassageCore
import PassageServices

/// `PROVIDER ADD|LIST`: the service directory (ProviderService). Administrators register
/// providers; casework users read the directory to choose where to refer.
enum ProviderCommands {
    static let declarations: [CommandSpec] = [add, list] + ProviderReachCommands.declarations

    static let add = CommandSpec(
        "PROVIDER ADD", access: .roles(UseCase.registerProvider.roles),
        positional: [ArgumentSpec("name", .text(maxLength: 200), help: "organisation name")],
        named: [
            ArgumentSpec(
                "services", .list(.oneOf(ConsoleVocabulary.services)),
                help: "service types: " + ConsoleVocabulary.services.joined(separator: ", ")),
            ArgumentSpec("areas", .list(.subdivision), help: "ISO 3166-2 codes served, e.g. CO-ANT,CO-BOL"),
            .optional("capacity", .integer(0...1_000_000), help: "open referrals it can take"),
        ],
        summary: "register a service provider (an organisation)", quick: true
    ) { services, invocation, session in
        let provider = NewProvider(
            name: try invocation.text("name"), services: invocation.list("services") ?? [],
            areas: invocation.list("areas") ?? [], capacity: invocation.optionalInt("capacity"))
        let registered = try await services.providers.register(provider, by: invocation.actor(session))
        // The contract's reply is `250 provider=<id>` whether the organisation is new or was a
        // provider already, so the attachment is told on an info line, never in the final line.
        return Reply(
            code: 250, fields: [ReplyField("provider", .int(Int(registered.provider.id)))],
            info: registered.created
                ? [] : ["attached: the organisation was a provider already; services and areas added"])
    }

    static let list = CommandSpec(
        "PROVIDER LIST", access: .roles(UseCase.listProviders.roles),
        named: [
            .optional(
                "service", .choice(ConsoleVocabulary.services), help: "only providers offering this service type"),
            .optional(
                "area", .text(maxLength: 6), help: "only providers serving this ISO 3166-2 area (or country, e.g. CO)"),
        ],
        summary: "the service provider directory"
    ) { services, invocation, session in
        let filter = ProviderFilter(
            service: try invocation.optionalChoice(ServiceType.self, "service"), area: invocation.optionalText("area"))
        let providers = try await services.providers.directory(filter, by: invocation.actor(session))
        return .data(.table("providers", columns: columns, rows: providers.map(row)))
    }

    static let columns = ["provider", "name", "status", "services", "areas", "capacity", "ages"]

    static func row(_ provider: ProviderRecord) -> [ReplyValue] {
        let ages =
            provider.minimumAge == nil && provider.maximumAge == nil
            ? "any"
            : "\(provider.minimumAge.map(String.init) ?? "0")-\(provider.maximumAge.map(String.init) ?? "")"
        return [
            .int(Int(provider.id)), .string(provider.name), .string(provider.status),
            .string(provider.services.joined(separator: ",")), .string(provider.areas.joined(separator: ",")),
            provider.capacity.map(ReplyValue.int) ?? .null, .string(ages),
        ]
    }
}
