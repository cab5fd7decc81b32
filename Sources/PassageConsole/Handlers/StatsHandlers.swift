import PassageCore
import PassageStore
import Postgres

/// `STATS`: anonymised aggregates. Analysts count their own organisation, policy staff every
/// organisation; disclosure control is always on (Docs/anonymisation.md). The protections
/// applied come back as `250-protection: …` info lines (and as `protections` in JSON mode).
struct StatsHandlers: Sendable {
    let store: StoreCall
    let statistics: StatisticsStore
    /// Heavy queries at once, per user and in all (452 beyond).
    var gate = HeavyQueryGate()

    func stats(_ invocation: Invocation, _ session: Session) async throws -> Reply {
        let user = try invocation.signedInUser()
        let request: StatisticsRequest
        do {
            request = try StatisticsRequest(of: invocation.optionalText("of"), by: invocation.list("by")?.joined(separator: ","),
                                            k: invocation.optionalInt("k"), dp: try Self.epsilon(invocation.optionalText("dp")),
                                            totals: (try? invocation.bool("totals")) ?? false,
                                            from: invocation.date("from")?.description, to: invocation.date("to")?.description,
                                            filters: ["category", "sex", "age_band"].compactMap { name in
                                                invocation.optionalText(name).map { (dimension: name, value: $0) }
                                            })
        } catch {
            throw StoreCall.consoleError(for: error)
        }
        let format = StatisticsFormat(rawValue: invocation.optionalText("format") ?? "csv") ?? .csv
        let everyOrganisation = user.role == .policy
        let statistics = self.statistics
        let store = self.store
        let export = try await gate.run(user: user.name) {
            try await store.transaction { connection in
                let organisation = everyOrganisation ? nil : try user.organisationID(on: connection)
                return try statistics.export(request, organisation: organisation, actor: user.name, source: session.source, on: connection)
            }
        }
        var fields = [ReplyField("of", .string(export.unit.rawValue)), ReplyField("window", .string(export.window)),
                      ReplyField("release", .string(export.release))]
        if export.epsilonSpent > 0 {
            fields.append(ReplyField("epsilon_spent", .double(export.epsilonSpent)))
            if let left = export.budgetLeft { fields.append(ReplyField("budget_left", .double(left))) }
        }
        let replyFormat = session.format
        let lines = format.lines(export)
        let block: DataBlock
        if format == .json && replyFormat == .json {
            // Already one object per cell: send the cells as table rows, which JSON mode writes as objects.
            block = .table("stats", columns: export.table.dimensions + ["count", "suppressed"], rows: export.table.cells.map { cell in
                cell.values.map { ReplyValue.string($0) } + [cell.value.map { .int($0) } ?? .null, .bool(cell.suppressed)]
            })
        } else {
            block = .lines("stats", lines)
        }
        if replyFormat == .json {
            fields.append(ReplyField("protections", .json(StatisticsFormat.protectionsJSON(export.table.protections))))
        }
        var reply = Reply.data(block, message: "\(export.table.cells.count) cells", fields: fields)
        reply.info = StatisticsFormat.protectionLines(export.table.protections)
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
