import Foundation
import HTTPTypes
import Hummingbird
import PassageCore
import PassageServices

/// `GET /v1/gaps/{kind}` (the console's GAPS, GapsService.gaps): where protection is failing, in
/// aggregate only — analysts their organisation's rows, policy staff every organisation's — read
/// from the current release through the disclosure control. JSON, CSV or HXL (TableFormat,
/// PassageCore's GapsText); the release and the protections in fields or headers.
enum GapsOperations {
    static let all = [gaps]

    static let gaps = APIOperation(
        "showGaps", .get, "/v1/gaps/{kind}", tag: "statistics",
        summary: "unmet needs, overdue referrals, coverage and outcomes", access: .useCase(.gaps),
        parameters: [
            .path(
                "kind", "unmet, overdue, coverage or outcomes",
                schema: .string(choices: GapKind.allCases.map(\.rawValue))),
            .query(
                "by", "dimensions to group by, comma-separated",
                schema: .string(description: "from: " + GapDimension.names.joined(separator: ", "), maxLength: 200)),
            .query(
                "area", "only people now in this country (CO) or ISO 3166-2 area (CO-ANT)",
                schema: .string(maxLength: 6)),
            .query(
                "category", "only this movement category",
                schema: .string(choices: MovementCategory.allCases.map(\.rawValue))),
            .query(
                "days", "unmet: the age in days at which an open need nobody serves counts as unmet (default 7)",
                schema: .integer(minimum: 1, maximum: 3650)),
            TableFormat.parameter,
        ],
        answers: [
            .init(
                200, "The release's gap table; CSV and HXL carry the release and protections in headers",
                content: [
                    ("application/json", GapsResource.schema),
                    ("text/csv", .string(description: "the columns, then one row per line; empty where not shown")),
                    (
                        "text/csv; profile=hxl",
                        .string(description: "the CSV with the HXL hashtag row under the header")
                    ),
                    (
                        XLSXWorkbook.mediaType,
                        .string(description: "the table, and the protections on a sheet of their own", format: "binary")
                    ),
                ], headers: ProtectionHeaders.documented + [("Passage-As-Of", "the counts are as of this instant")])
        ] + TableFormat.refusals
    ) { call in
        let format = try TableFormat.chosen(call)
        let answer = try await call.services.gaps.gaps(try question(call), by: call.actor())
        guard format != .json else {
            var response = try JSONResponse.make(GapsResource(answer: answer))
            response.headers[.vary] = TableFormat.vary
            for (name, value) in ReplicaHeaders.fields(answer.readSource) { response.headers[name] = value }
            return response
        }
        let published = answer.published
        let scope =
            switch answer.scope {
            case .everyOrganisation: "every_organisation"
            case .organisation(let name): "organisation " + name
            }
        let extra: [(HTTPField.Name, String)] = [
            (ProtectionHeaders.release, answer.release.dayText),
            (ProtectionHeaders.asOf, ISO8601DateFormatter().string(from: answer.release.asOf)),
            (ProtectionHeaders.scope, scope), (ProtectionHeaders.k, String(published.k)),
        ] + ReplicaHeaders.fields(answer.readSource)
        let name = "passage-gaps-\(answer.kind.rawValue)-\(answer.release.dayText)"
        if format == .xlsx {
            return ProtectionHeaders.workbook(
                try XLSXWorkbook.bytes(PublishedWorkbooks.gaps(answer)), filename: name + ".xlsx",
                protections: published.protections, extra: extra)
        }
        return ProtectionHeaders.answer(
            GapsText.csvLines(published, kind: answer.kind, hxl: format == .hxl, pcodes: call.services.placeCodes),
            format: format,
            filename: name + (format == .hxl ? ".hxl.csv" : ".csv"),
            protections: published.protections, extra: extra)
    }

    /// The question, every value checked (400 naming it) as GAPS checks it; the use case checks
    /// again, and refuses a dimension that does not apply to the kind.
    static func question(_ call: APICall) throws(Problem) -> GapQuestion {
        guard let name = call.context.parameters.get("kind"), let kind = GapKind(rawValue: name) else {
            throw Problem.badArgument(
                "kind", "must be one of " + GapKind.allCases.map(\.rawValue).joined(separator: ", "))
        }
        var dimensions: [GapDimension] = []
        if let text = call.query("by"), !text.isEmpty {
            for name in text.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
                guard let dimension = GapDimension(rawValue: name) else {
                    throw Problem.badArgument(
                        "by", "\(name.prefix(40)) is not a dimension; use " + GapDimension.names.joined(separator: ", ")
                    )
                }
                if let refusal = dimension.refusal(for: kind) { throw Problem.badArgument("by", refusal) }
                guard !dimensions.contains(dimension) else {
                    throw Problem.badArgument("by", "\(name) appears twice")
                }
                dimensions.append(dimension)
            }
        }
        let area = call.query("area")
        if let area, SubdivisionCode(area) == nil, CountryCode(area) == nil {
            throw Problem.badArgument(
                "area", "must be a country (CO) or an ISO 3166-2 area (CO-ANT), got \(area.prefix(20))")
        }
        return GapQuestion(
            kind: kind, dimensions: dimensions, area: area,
            category: try call.query("category", as: MovementCategory.self),
            days: try call.query("days", in: 1...3650, default: 7))
    }
}
