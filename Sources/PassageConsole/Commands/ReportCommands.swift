import PassageCore
import PassageServices

/// `REPORT gbvims|population|referrals`: a standard report made from STATS tables of one
/// release (StandardReports; who: as STATS). The reply's info lines are the protections and the
/// manifest (one JSON object: release, parameters, protections, SHA-256 of the content); its data
/// the report as CSV lines or an xlsx workbook (base64 lines, FileBlock). The manifest's
/// `reproduce` line — the same REPORT with `expect=<sha256>` — makes it again and refuses (551)
/// when the result is not byte for byte the same.
enum ReportCommands {
    static let report = CommandSpec(
        "REPORT", access: .roles(UseCase.report.roles),
        positional: [
            ArgumentSpec(
                "kind", .choice(ReportKind.allCases.map(\.rawValue)),
                help: "gbvims (incidents and referrals), population (origin, sex, age band) or referrals (pathway)")
        ],
        named: [
            .optional(
                "k", .integer(5...1000), default: .int(5),
                help: "smallest count shown (at least 5), as STATS"),
            .optional("from", .date, help: "one released month: from and to in the same month, as STATS"),
            .optional("to", .date, help: "the last released month (the default), or with from, the one month"),
            .optional(
                "format", .choice(["csv", "xlsx"]), default: .text("csv"),
                help: "csv lines, or an xlsx workbook (base64 lines) with protections and manifest sheets"),
            .optional(
                "expect", .text(maxLength: 64),
                help: "a manifest's csv_sha256: make the report again and refuse if it differs"),
        ],
        summary: "a standard report (GBVIMS, UNHCR population, referral pathway) from one release, with its manifest"
    ) { services, invocation, session in
        guard let kind = ReportKind(rawValue: try invocation.text("kind")) else {
            throw ConsoleError.badArgument(argument: "kind", message: "unknown report")
        }
        let request = ReportRequest(
            kind: kind, k: invocation.optionalInt("k"), from: invocation.date("from")?.description,
            to: invocation.date("to")?.description)
        let actor = try invocation.actor(session)
        let report: StandardReport
        if let expected = invocation.optionalText("expect") {
            guard expected.count == 64, expected.allSatisfy(\.isHexDigit) else {
                throw ConsoleError.badArgument(argument: "expect", message: "a SHA-256 in hex (64 characters)")
            }
            report = try await StandardReports.reproduce(
                request, expectedSHA256: expected, statistics: services.statistics, by: actor)
        } else {
            report = try await StandardReports.make(request, statistics: services.statistics, by: actor)
        }
        var fields = [
            ReplyField("report", .string(kind.rawValue)), ReplyField("release", .string(report.release)),
            ReplyField("window", .string(report.window)), ReplyField("csv_sha256", .string(report.csvSHA256)),
        ]
        let block: DataBlock
        var xlsxSHA256: String?
        if invocation.optionalText("format") == "xlsx" {
            let bytes = try XLSXWorkbook.bytes(report.workbook)
            xlsxSHA256 = StandardReports.sha256(bytes)
            fields.append(ReplyField("bytes", .int(bytes.count)))
            block = .file("report \(kind.rawValue)", format: "xlsx", bytes: bytes)
        } else {
            block = .lines("report \(kind.rawValue)", report.csvLines)
        }
        var reply = Reply.data(block, message: "\(report.table.rows.count) rows", fields: fields)
        reply.info =
            StatisticsText.protectionLines(report.protections) + [
                "manifest: " + report.manifest(xlsxSHA256: xlsxSHA256)
            ]
        return reply
    }
}
