import Foundation
import HTTPTypes
import Hummingbird
import PassageCore
import PassageServices

/// The service provider directory (ProviderService, as PROVIDER LIST and PROVIDER ADD): casework
/// reads it to choose where to refer; administrators keep it.
enum ProviderOperations {
    static let all = [list, register]

    static let list = APIOperation(
        "listProviders", .get, "/v1/providers", tag: "providers", summary: "read the service provider directory",
        access: .useCase(.listProviders),
        parameters: [
            .query(
                "service", "only providers offering this service type",
                schema: .string(choices: ServiceType.allCases.map(\.rawValue))),
            .query(
                "area", "only providers serving this ISO 3166-2 area (CO-ANT) or country (CO)",
                schema: .string(maxLength: 6)),
        ] + ListCursor.parameters,
        answers: [
            .init(200, "Providers in id order", json: ListPage<ProviderResource>.schema(of: ProviderResource.schema))
        ]
    ) { call in
        let cursor = try call.listCursor()
        let filter = ProviderFilter(
            service: try call.query("service", as: ServiceType.self), area: call.query("area"), after: cursor.after,
            limit: cursor.limit)
        let providers = try await call.services.providers.directory(filter, by: call.actor())
        return try JSONResponse.make(
            ListPage(items: providers.map(ProviderResource.init), limit: cursor.limit) { $0.provider.id })
    }

    static let register = APIOperation(
        "registerProvider", .post, "/v1/providers", tag: "providers",
        summary: "register a service provider (an organisation)", access: .useCase(.registerProvider),
        requestBody: NewProviderBody.schema,
        answers: [
            .init(201, "Registered: a new provider", json: ProviderResource.schema),
            .init(
                200, "The organisation is a provider already: the services and areas were attached to it",
                json: ProviderResource.schema),
        ]
    ) { call in
        let body = try await call.body(NewProviderBody.self)
        let registration = try await call.services.providers.register(body.newProvider(), by: call.actor())
        return try JSONResponse.make(
            ProviderResource(registration.provider), status: registration.created ? .created : .ok)
    }
}
