import Foundation
import HTTPTypes
import Hummingbird
import PassageCore
import PassageServices

/// `GET /v1/exports/microdata` (StatisticsService.microdata; on the command line `passage export
/// --microdata`): anonymised microdata, one row per case, quasi-identifiers generalised and
/// locally suppressed to k-anonymity and a global re-identification risk below 1 %, read from the
/// release. The console has no command for it; it is open to the roles of STATS (analysts: their
/// organisation's cases; policy staff: every organisation's), as `passage export` gives it to an
/// operator as an analyst (`--org`) or as policy staff. Docs/http-api.md "Exports".
/// Aggregates are `GET /v1/statistics?format=csv|hxl`: the same table `passage export` writes.
enum ExportOperations {
    static let all = [microdata]

    static let microdata = APIOperation(
        "exportMicrodata", .get, "/v1/exports/microdata", tag: "statistics",
        summary: "export anonymised microdata (k-anonymous, risk below 1%)", access: .useCase(.statistics),
        parameters: [
            .query(
                "k", "smallest group of rows sharing their quasi-identifiers (default 11, at least 11)",
                schema: .integer(minimum: 11, maximum: 1000)),
            .query(
                "l_diversity", "at least this many categories in every group (category becomes the sensitive column)",
                schema: .integer(minimum: 2, maximum: 10)),
            .query(
                "from", "one released month: from and to in the same month",
                schema: .string(description: "YYYY-MM-DD or YYYY-MM", format: "date")),
            .query(
                "to", "the last released month (the default)",
                schema: .string(description: "YYYY-MM-DD or YYYY-MM", format: "date")),
            .query(
                "format", "json, csv or xlsx; overrides Accept", schema: .string(choices: ["json", "csv", "xlsx"])),
        ],
        answers: [
            .init(
                200, "The release's file; CSV carries the protections in headers",
                content: [
                    ("application/json", MicrodataResource.schema),
                    ("text/csv", .string(description: "the columns, then one row per case")),
                    (
                        XLSXWorkbook.mediaType,
                        .string(description: "the rows, and the protections on a sheet of their own", format: "binary")
                    ),
                ], headers: ProtectionHeaders.documented)
        ] + TableFormat.refusals
    ) { call in
        let format = try TableFormat.chosen(call, offered: [.json, .csv, .xlsx])
        let request = MicrodataRequest(
            k: try call.query("k", in: 11...1000, default: MicrodataParameters.defaultK),
            lDiversity: call.query("l_diversity") == nil ? nil : try call.query("l_diversity", in: 2...10, default: 2),
            from: try StatisticsOperations.month(call, "from"), to: try StatisticsOperations.month(call, "to"))
        let export = try await call.services.statistics.microdata(request, by: call.actor())
        guard format != .json else {
            var response = try JSONResponse.make(MicrodataResource(export: export))
            response.headers[.vary] = TableFormat.vary
            return response
        }
        let release = MicrodataResource.release(of: export)
        var extra: [(HTTPField.Name, String)] = [(ProtectionHeaders.window, export.window)]
        if let release { extra.append((ProtectionHeaders.release, release)) }
        if format == .xlsx {
            return ProtectionHeaders.workbook(
                try XLSXWorkbook.bytes(PublishedWorkbooks.microdata(export)),
                filename: "passage-microdata-\(release ?? "current").xlsx", protections: export.protections, extra: extra)
        }
        return ProtectionHeaders.answer(
            StatisticsText.microdataLines(export), format: .csv,
            filename: "passage-microdata-\(release ?? "current").csv", protections: export.protections, extra: extra)
    }
}
