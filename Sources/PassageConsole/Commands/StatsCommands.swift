import PassageCore
import PassageServices

/// `STATS`: anonymised aggregates (StatisticsService). Analysts count their own organisation,
/// policy staff every organisation; disclosure control is always on (Docs/anonymisation.md).
/// The protections applied come back as `250-protection: …` info lines (and as `protections`
/// in JSON mode).
enum StatsCommands {
    static let stats = CommandSpec(
        "STATS", access: .roles(UseCase.statistics.roles),
        named: [
            Arguments.by,
            .optional(
                "k", .integer(5...1000), default: .int(5),
                help: "smallest count shown (at least 5); smaller cells, zeros included, are suppressed"),
            .optional(
                "format", .choice(ConsoleVocabulary.statsFormats), default: .text("csv"),
                help: "hxl, csv or json rows, or an xlsx workbook (base64 lines)"),
            .optional(
                "from", .date, help: "one released month: from and to in the same month (other windows are refused)"),
            .optional(
                "to", .date, help: "the last released month (the default), or with from, the one month asked for"),
            .optional(
                "of", .choice(ConsoleVocabulary.countedUnits),
                help: "what to count: cases (default), needs or referrals; need and referral dimensions imply them"),
            .optional(
                "dp", .text(maxLength: 16),
                help: "refused: differential privacy is the organisation's policy (passage privacy-policy)"),
            .optional(
                "totals", .yesNo, default: .bool(false),
                help: "also publish margins and the grand total, each perturbed on its own"),
            .optional(
                "category", .choice(ConsoleVocabulary.categories + ["unclassified"]),
                help: "only this movement category (HXL +refugees, +idps …)"),
            .optional("sex", .choice(ConsoleVocabulary.sexes), help: "only this sex (HXL +f, +m)"),
            .optional(
                "age_band", .choice(ConsoleVocabulary.ageBands),
                help: "only this age band (HXL +children, +adults, +elderly)"),
        ],
        summary: "anonymised aggregates (disclosure control always on)"
    ) { services, invocation, session in
        let request = AggregateRequest(
            of: invocation.optionalText("of"), by: invocation.list("by") ?? [], k: invocation.optionalInt("k"),
            dp: try epsilon(invocation.optionalText("dp")), totals: (try? invocation.bool("totals")) ?? false,
            from: invocation.date("from")?.description, to: invocation.date("to")?.description,
            filters: ["category", "sex", "age_band"].compactMap { name in
                invocation.optionalText(name).map { AggregateRequest.Filter(dimension: name, value: $0) }
            })
        let format = StatisticsFormat(rawValue: invocation.optionalText("format") ?? "csv") ?? .csv
        let export = try await services.statistics.aggregates(request, by: invocation.actor(session))
        var fields = [
            ReplyField("of", .string(export.unit.rawValue)), ReplyField("window", .string(export.window)),
            ReplyField("release", .string(export.release)),
        ]
        if export.epsilonSpent > 0 {
            fields.append(ReplyField("epsilon_spent", .double(export.epsilonSpent)))
            if let left = export.budgetLeft { fields.append(ReplyField("budget_left", .double(left))) }
        }
        let replyFormat = session.format
        let block: DataBlock
        if invocation.optionalText("format") == "xlsx" {
            // The workbook: the same cells and, on their own sheet, the protections (FileBlock).
            let bytes = try XLSXWorkbook.bytes(PublishedWorkbooks.statistics(export))
            fields.append(ReplyField("bytes", .int(bytes.count)))
            block = .file("stats", format: "xlsx", bytes: bytes)
        } else if format == .json && replyFormat == .json {
            // Already one object per cell: send the cells as table rows, which JSON mode writes as objects.
            block = .table(
                "stats", columns: export.table.dimensions + ["count", "suppressed"],
                rows: export.table.cells.map { cell in
                    cell.values.map { ReplyValue.string($0) } + [
                        cell.value.map { .int($0) } ?? .null, .bool(cell.suppressed),
                    ]
                })
        } else {
            block = .lines("stats", format.lines(export, pcodes: services.placeCodes))
        }
        if replyFormat == .json {
            fields.append(ReplyField("protections", .json(StatisticsFormat.protectionsJSON(export.table.protections))))
        }
        var reply = Reply.data(block, message: "\(export.table.cells.count) cells", fields: fields)
        // With a read pool, first where the counts were read and how far behind (Docs/console-protocol.md "Replica lag").
        reply.info =
            (export.readSource.map { [$0.infoLine] } ?? []) + StatisticsText.protectionLines(export.table.protections)
        return reply
    }

    static func epsilon(_ text: String?) throws -> Double? {
        guard let text else { return nil }
        guard let value = Double(text), value.isFinite else {
            throw ConsoleError.badArgument(argument: "dp", message: "expected a number ε such as 0.5 (got \(text))")
        }
        return value
    }
}
