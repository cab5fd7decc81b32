import Foundation
import HTTPTypes
import Hummingbird
import PassageCore
import PassageServices

/// Where and how to reach a provider (ProviderService, as PROVIDER SHOW|LOCATION|PHONE|CONTACT|
/// REMOVE): casework reads it; administrators add and remove locations, phones and contacts.
enum ProviderReachOperations {
    static let all = [show, addLocation, addPhone, addContact, removeLocation, removePhone, removeContact]

    static let providerParameter = APIOperation.Parameter.path("provider", "provider id")
    static let problem = JSONSchema.reference("Problem")

    static let show = APIOperation(
        "showProvider", .get, "/v1/providers/{provider}", tag: "providers",
        summary: "a provider with its locations, phones and contacts", access: .useCase(.showProvider),
        parameters: [providerParameter],
        answers: [
            .init(200, "The provider", json: ProviderDetailsResource.schema),
            .init(404, "No such provider", json: problem),
        ]
    ) { call in
        let id = try call.id("provider")
        return try JSONResponse.make(
            ProviderDetailsResource(details: try await call.services.providers.details(of: id, by: call.actor())))
    }

    static let addLocation = adding(
        "addProviderLocation", "locations", useCase: .addProviderLocation,
        summary: "add a location (a name, a full address or coordinates)", body: NewLocationBody.schema
    ) { call, id in
        let body = try await call.body(NewLocationBody.self)
        _ = try await call.services.providers.addLocation(body.newLocation, to: id, by: call.actor())
    }

    static let addPhone = adding(
        "addProviderPhone", "phones", useCase: .addProviderPhone, summary: "add a phone number",
        body: NewPhoneBody.schema
    ) { call, id in
        let body = try await call.body(NewPhoneBody.self)
        _ = try await call.services.providers.addPhone(body.newPhone, to: id, by: call.actor())
    }

    static let addContact = adding(
        "addProviderContact", "contacts", useCase: .addProviderContact,
        summary: "add a contact (name, title, department or email)", body: NewContactBody.schema
    ) { call, id in
        let body = try await call.body(NewContactBody.self)
        _ = try await call.services.providers.addContact(body.newContact, to: id, by: call.actor())
    }

    static let removeLocation = removing(.location, "removeProviderLocation", "locations")
    static let removePhone = removing(.phone, "removeProviderPhone", "phones")
    static let removeContact = removing(.contact, "removeProviderContact", "contacts")

    /// `POST /v1/providers/{provider}/<collection>`: 201 with the provider as it now is.
    static func adding(
        _ operationID: String, _ collection: String, useCase: UseCase, summary: String, body: JSONSchema,
        _ add: @escaping @Sendable (APICall, Int64) async throws -> Void
    ) -> APIOperation {
        APIOperation(
            operationID, .post, "/v1/providers/{provider}/\(collection)", tag: "providers", summary: summary,
            access: .useCase(useCase), parameters: [providerParameter], requestBody: body,
            answers: [
                .init(201, "Added: the provider with it", json: ProviderDetailsResource.schema),
                .init(400, "A value is refused (the problem names it)", json: problem),
                .init(404, "No such provider", json: problem),
            ]
        ) { call in
            let id = try call.id("provider")
            try await add(call, id)
            let details = try await call.services.providers.details(of: id, by: call.actor())
            return try JSONResponse.make(
                ProviderDetailsResource(details: details), status: .created, location: "/v1/providers/\(id)")
        }
    }

    /// `DELETE /v1/providers/{provider}/<collection>/{number}`: 204.
    static func removing(_ kind: ContactPointKind, _ operationID: String, _ collection: String) -> APIOperation {
        APIOperation(
            operationID, .delete, "/v1/providers/{provider}/\(collection)/{\(kind.rawValue)}", tag: "providers",
            summary: "remove a \(kind.rawValue) of a provider", access: .useCase(.removeProviderContactPoint),
            parameters: [providerParameter, .path(kind.rawValue, "its number (GET /v1/providers/{provider})")],
            answers: [
                .init(204, "Removed"),
                .init(404, "No such provider or \(kind.rawValue)", json: problem),
                .init(409, "A location with phones at it: remove them first", json: problem),
            ]
        ) { call in
            try await call.services.providers.remove(
                kind, try call.id(kind.rawValue), of: try call.id("provider"), by: call.actor())
            return JSONResponse.empty()
        }
    }
}
