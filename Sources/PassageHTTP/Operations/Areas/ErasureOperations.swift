import Foundation
import HTTPTypes
import Hummingbird
import PassageCore
import PassageServices

/// Erasing the person of a closed case by crypto-shredding (ErasureService, as PERSON ERASE;
/// Docs/case-life.md "Retention and erasure"): a supervisor of the owning organisation.
enum ErasureOperations {
    static let all = [erase]

    static let erase = APIOperation(
        "erasePerson", .post, "/v1/cases/{case}/person/erasure", tag: "persons",
        summary: "erase the personal details of a closed case's person for good (crypto-shredding)",
        access: .useCase(.erasePerson), parameters: [CaseOperations.caseParameter],
        requestBody: ErasureBody.schema,
        answers: [
            .init(200, "Erased", json: ErasureResource.schema),
            .init(
                404, "No such case in your organisation, or no personal details recorded", json: .reference("Problem")),
            .init(
                409, "The case (or another of the person's) is open, or the person is already erased",
                json: .reference("Problem")),
        ]
    ) { call in
        let id = try call.id("case")
        let body = try await call.body(ErasureBody.self)
        let outcome = try await call.services.erasure.erase(
            personOfCase: id, reason: try body.erasureReason, by: call.actor())
        return try JSONResponse.make(ErasureResource(caseID: id, persons: outcome.persons, notes: outcome.notes))
    }
}

struct ErasureBody: Decodable, Sendable {
    let reason: String

    static let schema = JSONSchema.object(
        [("reason", CaseFactsSchema.choices(ErasureReason.self, "request (the person asked) or retention"))],
        required: ["reason"])

    var erasureReason: ErasureReason {
        get throws(Problem) {
            guard let value = ErasureReason(rawValue: reason) else {
                throw Problem.badArgument(
                    "reason", "must be one of " + ErasureReason.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return value
        }
    }
}

/// What an erasure did: counts only, never what was erased.
struct ErasureResource: Encodable, Sendable {
    let caseID: Int64
    let persons: Int
    let notes: Int

    enum CodingKeys: String, CodingKey {
        case caseID = "case"
        case persons, notes
    }

    static let schema = JSONSchema.object(
        [
            ("case", .integer(description: "case id")),
            ("persons", .integer(description: "person records erased (more than one after merges)")),
            (
                "notes",
                .integer(
                    description:
                        "free-text notes erased: the cases' needs' and referrals' notes set to null, category overrides' reasons replaced"
                )
            ),
        ], required: ["case", "persons", "notes"])
}
