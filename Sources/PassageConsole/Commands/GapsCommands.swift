import PassageCore
import PassageServices

/// `GAPS unmet|overdue|coverage|outcomes` (GapsService): where protection is failing, in
/// aggregate only. Analysts see their organisation's cases, policy staff every organisation's;
/// every count is published through the disclosure control and the reply states the
/// protections applied, the release the answer belongs to and its scope.
enum GapsCommands {
    static let gaps = CommandSpec(
        "GAPS", access: .roles(UseCase.gaps.roles),
        positional: [
            ArgumentSpec("kind", .choice(ConsoleVocabulary.gapKinds), help: "unmet, overdue, coverage or outcomes")
        ],
        named: [
            .optional(
                "by", .list(.oneOf(GapDimension.names)),
                help: "dimensions to group by: " + GapDimension.names.joined(separator: ", ")),
            .optional("area", .text(maxLength: 16), help: "a country or ISO 3166-2 area"),
            .optional("category", .choice(ConsoleVocabulary.categories), help: "one movement category"),
            .optional(
                "days", .integer(1...3650), default: .int(7),
                help: "GAPS unmet: age at which a need counts as unmet"),
            .optional(
                "format", .choice(["table", "csv", "hxl", "xlsx"]), default: .text("table"),
                help: "table rows, csv or hxl lines (with area_pcode under serve --pcodes), or an xlsx workbook (base64 lines)"),
        ],
        summary: "unmet needs, overdue referrals, coverage and outcomes"
    ) { services, invocation, session in
        let actor = try invocation.actor(session)
        let answer = try await services.gaps.gaps(try question(invocation), by: actor)
        var reply = reply(answer)
        if invocation.optionalText("format") == "xlsx" {
            // The same rows and, on their own sheet, the protections and notes (FileBlock).
            let bytes = try XLSXWorkbook.bytes(PublishedWorkbooks.gaps(answer))
            reply.data = .file("gaps \(answer.kind.rawValue)", format: "xlsx", bytes: bytes)
            reply.fields.append(ReplyField("bytes", .int(bytes.count)))
        } else if let format = invocation.optionalText("format"), format == "csv" || format == "hxl" {
            // The API's CSV / HXL text (GapsText), one line each: for HDX and spreadsheets.
            reply.data = .lines(
                "gaps \(answer.kind.rawValue)",
                GapsText.csvLines(
                    answer.published, kind: answer.kind, hxl: format == "hxl", pcodes: services.placeCodes))
        }
        return reply
    }

    /// The typed question of a validated `GAPS` line.
    static func question(_ invocation: Invocation) throws(ConsoleError) -> GapQuestion {
        guard let kind = GapKind(rawValue: try invocation.text("kind")) else {
            throw .badArgument(argument: "kind", message: "unknown kind (unmet, overdue, coverage or outcomes)")
        }
        var dimensions: [GapDimension] = []
        for name in invocation.list("by") ?? [] {
            guard let dimension = GapDimension(rawValue: name) else {
                throw .badArgument(argument: "by", message: "unknown dimension \(name)")
            }
            dimensions.append(dimension)
        }
        return GapQuestion(
            kind: kind, dimensions: dimensions, area: invocation.optionalText("area"),
            category: try invocation.optionalChoice(MovementCategory.self, "category"),
            days: invocation.optionalInt("days") ?? 7)
    }

    /// The reply: the scope, the release and the protections as info lines, the table as data.
    static func reply(_ answer: GapsAnswer) -> Reply {
        let kind = answer.kind
        let published = answer.published
        var info = [
            "scope: "
                + {
                    switch answer.scope {
                    case .everyOrganisation: "every organisation"
                    case .organisation(let name): "organisation \(name)"
                    }
                }(),
            "release: \(answer.release.dayText) (\(answer.release.period.rawValue)); as of: \(ConsoleTime.text(answer.release.asOf)), the release's boundary: rows recorded before it, as they stood then where their history is kept",
        ]
        // With a read pool: where the answer was read and how far behind (Docs/console-protocol.md "Replica lag").
        if let source = answer.readSource { info.insert(source.infoLine, at: 0) }
        info += published.protections.map { "protection: " + $0.summary }
        info += notes(answer)
        // The rows as reply values and their text, made once per answer the service keeps.
        let table = answer.renderings.rendering("console.gaps") {
            RenderedGaps(rows: published.rows.map { $0.map(value) }, text: KeptRendering())
        }
        var block = DataBlock.table(
            "gaps \(kind.rawValue)", columns: published.columns.map(\.name), rows: table.rows)
        block.kept = table.text
        return Reply(
            code: 250, message: block.countText, fields: [ReplyField("kind", .string(kind.rawValue))], info: info,
            data: block)
    }

    /// What the counts mean: info lines of the reply, notes of the xlsx form's protections sheet.
    static func notes(_ answer: GapsAnswer) -> [String] { PublishedWorkbooks.gapsNotes(answer) }

    /// A cell as the reply shows it: a count or figure not shown is null (`-` in text).
    static func value(_ cell: GapCell) -> ReplyValue {
        switch cell {
        case .text(let text): .string(text)
        case .count(let count): count.map { .int($0) } ?? .null
        case .figure(let figure): figure.map { .double($0) } ?? .null
        }
    }

    /// The console's rendering of one answer: its rows as reply values, and their text once made.
    struct RenderedGaps: Sendable {
        var rows: [[ReplyValue]]
        var text: KeptRendering
    }
}
