import Foundation
import HTTPTypes
import Hummingbird
import PassageCore
import PassageServices

/// `GET /v1/statistics` (the console's STATS, StatisticsService.aggregates): anonymised
/// aggregates of the actor's organisation (analysts) or of every organisation (policy staff),
/// disclosure control always on, read from the current release. JSON, CSV or HXL
/// (TableFormat); the CSV text and HXL hashtags are PassageCore's StatisticsText, the same the
/// console prints.
enum StatisticsOperations {
    static let all = [statistics]

    /// The arguments, as STATS takes them (same names, same vocabularies).
    static let parameters: [APIOperation.Parameter] = [
        .query(
            "by", "dimensions to group by, comma-separated, at most 6",
            schema: .string(
                description: "from: " + StatisticsDimension.allCases.map(\.rawValue).joined(separator: ", "),
                maxLength: 200)),
        .query(
            "of", "what to count: cases (default), needs or referrals; need and referral dimensions imply them",
            schema: .string(choices: CountedUnit.allCases.map(\.rawValue))),
        .query(
            "k", "smallest count shown (default 5, at least 5); smaller cells, zeros included, are suppressed",
            schema: .integer(minimum: 5, maximum: 1000)),
        .query(
            "totals", "also publish margins and the grand total, each perturbed on its own",
            schema: .string(choices: ["yes", "no", "true", "false"])),
        .query(
            "category", "only this movement category (HXL +refugees, +idps …)",
            schema: .string(choices: StatisticsFilterValues.categories)),
        .query("sex", "only this sex (HXL +f, +m)", schema: .string(choices: StatisticsFilterValues.sexes)),
        .query(
            "age_band", "only this age band (HXL +children, +adults, +elderly)",
            schema: .string(choices: StatisticsFilterValues.ageBands)),
        .query(
            "from", "one released month: from and to in the same month (other windows are refused)",
            schema: .string(description: "YYYY-MM-DD or YYYY-MM", format: "date")),
        .query(
            "to", "the last released month (the default), or with from, the one month asked for",
            schema: .string(description: "YYYY-MM-DD or YYYY-MM", format: "date")),
        TableFormat.parameter,
    ]

    static let statistics = APIOperation(
        "showStatistics", .get, "/v1/statistics", tag: "statistics",
        summary: "anonymised aggregates (disclosure control always on)", access: .useCase(.statistics),
        parameters: parameters,
        answers: [
            .init(
                200, "The published table; CSV and HXL carry the protections in headers",
                content: [
                    ("application/json", StatisticsResource.schema),
                    ("text/csv", .string(description: "header `by…,count,suppressed`, one row per cell")),
                    (
                        "text/csv; profile=hxl",
                        .string(description: "the CSV with the HXL hashtag row under the header")
                    ),
                    (
                        XLSXWorkbook.mediaType,
                        .string(description: "the table, and the protections on a sheet of their own", format: "binary")
                    ),
                ], headers: ProtectionHeaders.documented)
        ] + TableFormat.refusals
    ) { call in
        let format = try TableFormat.chosen(call)
        let request = try aggregateRequest(call)
        let export = try await call.services.statistics.aggregates(request, by: call.actor())
        switch format {
        case .json:
            var response = try JSONResponse.make(StatisticsResource(export: export))
            response.headers[.vary] = TableFormat.vary
            for (name, value) in ReplicaHeaders.fields(export.readSource) { response.headers[name] = value }
            return response
        case .csv, .hxl, .xlsx:
            var extra: [(HTTPField.Name, String)] = [
                (ProtectionHeaders.release, export.release), (ProtectionHeaders.window, export.window),
                (ProtectionHeaders.counted, export.unit.rawValue),
            ]
            extra += ReplicaHeaders.fields(export.readSource)
            if export.epsilonSpent > 0 {
                extra.append((ProtectionHeaders.epsilonSpent, String(export.epsilonSpent)))
                if let left = export.budgetLeft { extra.append((ProtectionHeaders.budgetLeft, String(left))) }
            }
            if format == .xlsx {
                return ProtectionHeaders.workbook(
                    try XLSXWorkbook.bytes(PublishedWorkbooks.statistics(export)),
                    filename: "passage-statistics-\(export.unit.rawValue)-\(export.release).xlsx",
                    protections: export.table.protections, extra: extra)
            }
            return ProtectionHeaders.answer(
                StatisticsText.csvLines(export, hxl: format == .hxl, pcodes: call.services.placeCodes), format: format,
                filename: "passage-statistics-\(export.unit.rawValue)-\(export.release)"
                    + (format == .hxl ? ".hxl.csv" : ".csv"),
                protections: export.table.protections, extra: extra)
        }
    }

    /// The query as the use case's typed request; every value checked here (400 naming it), the
    /// combinations (a dimension that does not apply to `of`, a window no release publishes) by
    /// the use case.
    static func aggregateRequest(_ call: APICall) throws(Problem) -> AggregateRequest {
        var by: [String] = []
        if let text = call.query("by"), !text.isEmpty {
            by = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            for name in by where StatisticsDimension(rawValue: name) == nil {
                throw Problem.badArgument(
                    "by",
                    "\(name.prefix(40)) is not a dimension; use "
                        + StatisticsDimension.allCases.map(\.rawValue).joined(separator: ", "))
            }
        }
        let of = try call.query("of", as: CountedUnit.self)
        let k = try call.query("k", in: 5...1000, default: 5)
        let totals = try yesNo(call, "totals")
        var filters: [AggregateRequest.Filter] = []
        for (name, values) in [
            ("category", StatisticsFilterValues.categories), ("sex", StatisticsFilterValues.sexes),
            ("age_band", StatisticsFilterValues.ageBands),
        ] {
            guard let value = call.query(name) else { continue }
            guard values.contains(value) else {
                throw Problem.badArgument(name, "must be one of " + values.joined(separator: ", "))
            }
            filters.append(AggregateRequest.Filter(dimension: name, value: value))
        }
        return AggregateRequest(
            of: of?.rawValue, by: by, k: k, dp: try epsilon(call), totals: totals, from: try month(call, "from"),
            to: try month(call, "to"), filters: filters)
    }

    /// `yes`/`no` as the console writes it, or `true`/`false`; absent is no.
    static func yesNo(_ call: APICall, _ name: String) throws(Problem) -> Bool {
        guard let text = call.query(name) else { return false }
        switch text.lowercased() {
        case "yes", "true": return true
        case "no", "false": return false
        default: throw Problem.badArgument(name, "must be yes or no")
        }
    }

    /// `dp=` is refused by the use case (ε is the organisation's policy), named as `dp`; a value
    /// that is not a number is refused here.
    static func epsilon(_ call: APICall) throws(Problem) -> Double? {
        guard let text = call.query("dp") else { return nil }
        guard let value = Double(text), value.isFinite else {
            throw Problem.badArgument("dp", "expected a number ε such as 0.5 (got \(text.prefix(20)))")
        }
        return value
    }

    /// A date `YYYY-MM-DD` (a day that exists) or a month `YYYY-MM`, as STATS and `passage export` take them.
    static func month(_ call: APICall, _ name: String) throws(Problem) -> String? {
        guard let text = call.query(name) else { return nil }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        let widths = parts.map(\.count)
        guard widths == [4, 2] || widths == [4, 2, 2],
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let year = Int(parts[0]), let month = Int(parts[1]), (1...12).contains(month), year >= 1900
        else {
            throw Problem.badArgument(name, "must be a date YYYY-MM-DD or a month YYYY-MM")
        }
        if parts.count == 3 {
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
            guard let day = Int(parts[2]), (1...days).contains(day) else {
                throw Problem.badArgument(name, "must be a date YYYY-MM-DD or a month YYYY-MM")
            }
        }
        return text
    }
}
