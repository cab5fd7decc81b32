import Foundation
import HTTPTypes
import Hummingbird
import PassageCore
import PassageServices

/// Merges and candidate duplicate pairs (DuplicateService, as PERSON MERGE|UNMERGE and the
/// DUPLICATE commands; Docs/finding-persons.md). Undoing a merge and deciding on a pair are
/// actions: POSTs to the resource's own sub-path.
enum DuplicateOperations {
    static let all = [merge, unmerge, list, confirm, reject, rate]

    static let mergeParameter = APIOperation.Parameter.path("merge", "merge id")
    static let pairParameter = APIOperation.Parameter.path("pair", "pair id")

    static let merge = APIOperation(
        "mergePersons", .post, "/v1/person-merges", tag: "duplicates",
        summary: "merge two person records of your organisation: the second person's cases move to the first",
        access: .useCase(.mergePersons), requestBody: MergePersonsBody.schema,
        answers: [
            .init(201, "Merged", json: MergeResource.schema),
            .init(404, "No such case in your organisation", json: .reference("Problem")),
            .init(
                409, "Already one person, a closed case, an open transfer, or no personal details",
                json: .reference("Problem")),
        ]
    ) { call in
        let body = try await call.body(MergePersonsBody.self)
        guard body.caseA > 0 else { throw Problem.badArgument("case_a", "must be a positive whole number") }
        guard body.caseB > 0 else { throw Problem.badArgument("case_b", "must be a positive whole number") }
        let merge = try await call.services.duplicates.merge(
            survivorCase: body.caseA, mergedCase: body.caseB, by: call.actor())
        return try JSONResponse.make(MergeResource(merge: merge), status: .created)
    }

    static let unmerge = APIOperation(
        "unmergePersons", .post, "/v1/person-merges/{merge}/undo", tag: "duplicates",
        summary: "undo a merge: the moved cases go back to their own person", access: .useCase(.unmergePersons),
        parameters: [mergeParameter],
        answers: [
            .init(200, "Undone", json: MergeResource.schema),
            .init(404, "No such merge in your organisation", json: .reference("Problem")),
            .init(409, "Undone already, merged again since, or a moved case changed", json: .reference("Problem")),
        ]
    ) { call in
        let merge = try await call.services.duplicates.unmerge(try call.id("merge"), by: call.actor())
        return try JSONResponse.make(MergeResource(merge: merge))
    }

    static let list = APIOperation(
        "listDuplicatePairs", .get, "/v1/duplicate-pairs", tag: "duplicates",
        summary: "candidate duplicate pairs of your organisation and possible matches at others (all on one page)",
        access: .useCase(.listDuplicates),
        parameters: [
            .query(
                "status", "only pairs of this status",
                schema: .string(choices: DuplicateStatus.allCases.map(\.rawValue)))
        ],
        answers: [
            .init(200, "Oldest first", json: ListPage<DuplicatePairResource>.schema(of: DuplicatePairResource.schema))
        ]
    ) { call in
        let status = try call.query("status", as: DuplicateStatus.self)
        let pairs = try await call.services.duplicates.pairs(status: status, by: call.actor())
        return try JSONResponse.make(ListPage.whole(pairs.map { DuplicatePairResource(pair: $0) }))
    }

    static let confirm = decision("confirmDuplicatePair", "confirm", .confirmDuplicate, .confirmed)
    static let reject = decision("rejectDuplicatePair", "reject", .rejectDuplicate, .rejected)

    static func decision(_ id: String, _ verb: String, _ useCase: UseCase, _ decision: DuplicateDecision)
        -> APIOperation
    {
        APIOperation(
            id, .post, "/v1/duplicate-pairs/{pair}/\(verb)", tag: "duplicates",
            summary: "your organisation's decision on a candidate pair (\(decision.rawValue))",
            access: .useCase(useCase),
            parameters: [pairParameter],
            answers: [
                .init(200, "Decided", json: DuplicatePairResource.schema),
                .init(404, "No such pair your organisation is a party to", json: .reference("Problem")),
                .init(409, "The pair is decided already, or your side decided already", json: .reference("Problem")),
            ]
        ) { call in
            let pair = try await call.services.duplicates.decide(try call.id("pair"), decision, by: call.actor())
            return try JSONResponse.make(DuplicatePairResource(pair: pair))
        }
    }

    static let rate = APIOperation(
        "duplicateRate", .get, "/v1/duplicate-rate", tag: "duplicates",
        summary: "data quality: registrations, candidate pairs by status, merges and the duplicate rate",
        access: .useCase(.duplicateRate),
        answers: [.init(200, "The report", json: DuplicateRateResource.schema)]
    ) { call in
        let rate = try await call.services.duplicates.rate(by: call.actor())
        return try JSONResponse.make(DuplicateRateResource(rate: rate))
    }
}
