import Foundation
import HTTPTypes
import Hummingbird
import PassageCore
import PassageServices

/// `GET /v1/reports/{kind}` (the console's REPORT, StandardReports): a standard report from one
/// release with its manifest. JSON (`manifest`, `columns`, `rows`), CSV (the manifest in the
/// `Passage-Report-Manifest` header, one line) or XLSX (manifest and protections on their own
/// sheets). `expect=<sha256>` makes the report again and answers 409 if it is not the same.
enum ReportOperations {
    static let all = [report]
    static let manifestHeader = HTTPField.Name("Passage-Report-Manifest")!

    static let report = APIOperation(
        "showReport", .get, "/v1/reports/{kind}", tag: "statistics",
        summary: "a standard report (GBVIMS, UNHCR population, referral pathway) from one release, with its manifest",
        access: .useCase(.report),
        parameters: [
            .path(
                "kind", "gbvims, population or referrals", schema: .string(choices: ReportKind.allCases.map(\.rawValue))
            ),
            .query(
                "k", "smallest count shown (default 5, at least 5)", schema: .integer(minimum: 5, maximum: 1000)),
            .query(
                "from", "one released month: from and to in the same month",
                schema: .string(description: "YYYY-MM-DD or YYYY-MM", format: "date")),
            .query(
                "to", "the last released month (the default)",
                schema: .string(description: "YYYY-MM-DD or YYYY-MM", format: "date")),
            .query(
                "expect", "a manifest's csv_sha256: make the report again, 409 if it differs",
                schema: .string(maxLength: 64)),
            .query("format", "json, csv or xlsx; overrides Accept", schema: .string(choices: ["json", "csv", "xlsx"])),
        ],
        answers: [
            .init(
                200, "The report; CSV carries its manifest and protections in headers",
                content: [
                    (
                        "application/json",
                        .object(
                            [
                                (
                                    "manifest",
                                    .map(
                                        values: .any(), description: "release, parameters, protections, content hashes")
                                ),
                                ("columns", .array(of: .string())),
                                ("rows", .array(of: .array(of: .any()))),
                            ], required: ["manifest", "columns", "rows"])
                    ),
                    ("text/csv", .string(description: "the report's columns, then one row per line")),
                    (
                        XLSXWorkbook.mediaType,
                        .string(description: "the report, its protections and its manifest", format: "binary")
                    ),
                ], headers: ProtectionHeaders.documented)
        ] + TableFormat.refusals
    ) { call in
        let format = try TableFormat.chosen(call, offered: [.json, .csv, .xlsx])
        guard let name = call.context.parameters.get("kind"), let kind = ReportKind(rawValue: name) else {
            throw Problem.badArgument(
                "kind", "must be one of " + ReportKind.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let request = ReportRequest(
            kind: kind, k: try call.query("k", in: 5...1000, default: 5),
            from: try StatisticsOperations.month(call, "from"), to: try StatisticsOperations.month(call, "to"))
        let report: StandardReport
        if let expected = call.query("expect") {
            guard expected.count == 64, expected.allSatisfy(\.isHexDigit) else {
                throw Problem.badArgument("expect", "must be a SHA-256 in hex (64 characters)")
            }
            report = try await StandardReports.reproduce(
                request, expectedSHA256: expected, statistics: call.services.statistics, by: call.actor())
        } else {
            report = try await StandardReports.make(request, statistics: call.services.statistics, by: call.actor())
        }
        let extra: [(HTTPField.Name, String)] = [
            (ProtectionHeaders.release, report.release), (ProtectionHeaders.window, report.window),
        ]
        let filename = "passage-report-\(kind.rawValue)-\(report.release)"
        switch format {
        case .xlsx:
            let bytes = try XLSXWorkbook.bytes(report.workbook)
            return ProtectionHeaders.workbook(
                bytes, filename: filename + ".xlsx", protections: report.protections,
                extra: extra + [(manifestHeader, report.manifest(xlsxSHA256: StandardReports.sha256(bytes)))])
        case .csv, .hxl:
            return ProtectionHeaders.answer(
                report.csvLines, format: .csv, filename: filename + ".csv", protections: report.protections,
                extra: extra + [(manifestHeader, report.manifest())])
        case .json:
            let rows: [[Any]] = report.table.rows.map { row in
                row.map { cell -> Any in
                    switch cell {
                    case .text(let text): text
                    case .number(let number): Int(number)
                    case .empty: NSNull()
                    }
                }
            }
            let manifest = (try? JSONSerialization.jsonObject(with: Data(report.manifest().utf8))) ?? [:]
            let body: [String: Any] = ["manifest": manifest, "columns": report.table.columns, "rows": rows]
            let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data("{}".utf8)
            var response = JSONResponse.text(String(decoding: data, as: UTF8.self), contentType: "application/json")
            response.headers[.vary] = TableFormat.vary
            return response
        }
    }
}
