import Foundation
import PassageCore
import PassageStore
import Postgres

/// GAPS answers frozen per release (issue 17; table `gaps_releases`, Schema/0013): the first
/// request for a question (kind, breakdown, filters, days) and scope in a release period
/// publishes it and stores it, audited as `gaps.release`; every later request of the period reads
/// it. A `NEED ADD` between two questions therefore changes no answer until the next release,
/// and re-asking gives nothing new. The counts are those of the moment the release was made
/// (its `as of`), the first request after the period boundary, as no scheduler runs at the
/// boundary itself.
///
/// The stored JSON (`answer`) keeps the shape the console's reply values gave it before GAPS
/// moved into the services (issue 18): releases stored then read back unchanged.
struct GapReleases: Sendable {
    var period: ReleasePeriod
    var now: @Sendable () -> Date

    init(period: ReleasePeriod = .month, now: @escaping @Sendable () -> Date = { Date() }) {
        self.period = period
        self.now = now
    }

    struct Stored: Sendable, Equatable {
        var release: Date
        var asOf: Date
        var published: PublishedGaps
    }

    /// The stored answer to a question of `kind`, if this release has one.
    func read(question: String, kind: GapKind, scope: String, on connection: PostgresConnection) throws -> Stored? {
        let release = period.cutoff(at: now())
        guard
            let row = try connection.query(
                """
                SELECT answer::text FROM gaps_releases WHERE scope = \(scope) AND release = \(release) AND question = \(question)
                """
            ).first
        else { return nil }
        return try Self.decode(try row.decode(String.self, at: 0), kind: kind, release: release)
    }

    /// Stores `published` as this release's answer unless another request stored one first;
    /// returns the one that stands (audited once, by whoever made it).
    func keep(
        _ published: PublishedGaps, kind: GapKind, asOf: Date, question: String, scope: String, actor: String,
        source: String,
        on connection: PostgresConnection
    ) throws -> Stored {
        let release = period.cutoff(at: now())
        let answer = Self.encode(published, asOf: asOf)
        let made =
            try connection.query(
                """
                INSERT INTO gaps_releases (release, scope, question, answer, made_by) VALUES (\(release), \(scope), \(question), \(answer)::jsonb, \(actor))
                ON CONFLICT DO NOTHING RETURNING 1
                """
            ).count == 1
        if made {
            try AuditLog.append(
                actor: actor, action: .gapsRelease, subject: scope, source: source,
                detail: "release=\(Self.day(release)) \(question) rows=\(published.rows.count)", on: connection)
            return Stored(release: release, asOf: asOf, published: published)
        }
        return try read(question: question, kind: kind, scope: scope, on: connection)!
    }

    /// The boundary of the current release: its answers count what was recorded before it, with
    /// the facts as they stood then where a history is kept (`GapsStore` reads as of `GapQuery.now`).
    var boundary: Date { period.cutoff(at: now()) }

    /// Publishes a gap table from this release's cells (`ReleaseCells`, unit `gaps.<kind>.<measure>`):
    /// each count keeps its published value across releases while its true count moves by less
    /// than k, like STATS cells. The cells of a question with filters are named with them.
    ///
    /// Under the scope's differential-privacy policy (`passage privacy-policy`, as STATS), a cell
    /// made here gets two-sided geometric noise on top of its cell-key noise, and the answer spends
    /// ε per table it publishes — each measure, and each open dimension's value totals it lists by
    /// — from the release's budget the scope's STATS tables spend too (refused, 551, when spent).
    /// Parts are then taken at most their whole as before, so no rate exceeds 1.
    func publish(
        _ table: GapTable, kind: GapKind, question: String, area: String?, category: String?, days: Int,
        scope: String, on connection: PostgresConnection
    ) throws -> PublishedGaps {
        var generator = SystemRandomNumberGenerator()
        return try publish(
            table, kind: kind, question: question, area: area, category: category, days: days, scope: scope,
            randomness: &generator, on: connection)
    }

    func publish<G: RandomNumberGenerator>(
        _ table: GapTable, kind: GapKind, question: String, area: String?, category: String?,
        days: Int, scope: String, randomness: inout G,
        on connection: PostgresConnection
    ) throws -> PublishedGaps {
        let release = period.cutoff(at: now())
        var fixed = [("filter_area", area ?? "any"), ("filter_category", category ?? "any")]
        if kind == .unmet { fixed.append(("filter_days", "\(days)")) }
        var rule = DisclosureParameters()
        rule.k = DisclosureParameters.minimumK
        let policy = try PrivacyPolicy.current(scope: scope, on: connection)
        let noise = policy.map { GeometricNoise(epsilon: $0.epsilon) }
        var failure: Error?
        var tables = 0
        var published: PublishedGaps
        // The closure may outlive this call as far as the compiler knows: it draws from a copy.
        var generator = randomness
        defer { randomness = generator }
        do {
            published = try GapPublication.publish(table) { measure, dimensions, needed in
                tables += PrivacyPolicy.tables(needed.keys)
                do {
                    return try ReleaseCells(release: release, scope: scope, unit: "gaps.\(kind.rawValue).\(measure)")
                        .resolve(
                            needed,
                            identity: { ReleasedTable.identity(dimensions: dimensions, values: $0, fixed: fixed) },
                            parameters: rule, policyNoise: noise, randomness: &generator, on: connection)
                } catch {
                    if failure == nil { failure = error }
                    return [:]
                }
            }
        } catch {
            throw ServiceError.badArgument(argument: "by", message: error.description)
        }
        if let failure { throw failure }
        if let policy {
            let spent = policy.epsilon * Double(max(tables, 1))
            let left = try policy.spend(spent, scope: scope, release: release, on: connection)
            published.protections.append(
                AppliedProtection(
                    name: "differential_privacy",
                    parameters: [
                        ProtectionParameter("mechanism", "two_sided_geometric_on_top_of_cell_key"),
                        ProtectionParameter("epsilon", "\(policy.epsilon)"),
                        ProtectionParameter("budget_per_release", "\(policy.budget)"),
                        ProtectionParameter("unit", "counted_row"),
                        ProtectionParameter("set_by", "administrator_policy"),
                        ProtectionParameter("tables", "\(tables)"),
                        ProtectionParameter("epsilon_spent", "\(spent)"),
                        ProtectionParameter("budget_left_when_made", "\(left)"),
                    ]))
        }
        return published
    }

    static func day(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: date)
    }

    // MARK: JSON

    /// The stored form of an answer: `{"asOf": …, "columns": […], "rows": [[{"int": {"_0": 5}}, …]], …}`,
    /// the Codable form of the reply values it was first stored as.
    struct Encoded: Codable {
        var asOf: Double
        var columns: [String]
        var rows: [[Value]]
        var protections: [Protection]
        var k: Int
    }

    struct Protection: Codable {
        var name: String
        var parameters: [[String]]
    }

    /// One stored cell; the case names are the stored JSON's keys, so they never change.
    enum Value: Codable {
        case string(String)
        case int(Int)
        case double(Double)
        case bool(Bool)
        case null

        init(_ cell: GapCell) {
            switch cell {
            case .text(let text): self = .string(text)
            case .count(let number): self = number.map { .int($0) } ?? .null
            case .figure(let number): self = number.map { .double($0) } ?? .null
            }
        }

        /// The cell in a column holding `content` (a null is a count or a figure not shown).
        func cell(in content: GapColumn.Content) -> GapCell {
            switch self {
            case .string(let text): .text(text)
            case .int(let number): .count(number)
            case .double(let number): .figure(number)
            case .bool(let flag): .text(flag ? "true" : "false")
            case .null:
                switch content {
                case .share, .hours: .figure(nil)
                case .count, .registry, .dimension, .label: .count(nil)
                }
            }
        }
    }

    static func encode(_ published: PublishedGaps, asOf: Date) -> String {
        let encoded = Encoded(
            asOf: asOf.timeIntervalSince1970, columns: published.columns.map(\.name),
            rows: published.rows.map { $0.map(Value.init) },
            protections: published.protections.map {
                Protection(name: $0.name, parameters: $0.parameters.map { [$0.name, $0.value] })
            },
            k: published.k)
        return String(decoding: try! JSONEncoder().encode(encoded), as: UTF8.self)
    }

    /// A stored answer to a question of `kind`: its columns are the dimensions, then the kind's own.
    static func decode(_ text: String, kind: GapKind, release: Date) throws -> Stored {
        let encoded = try JSONDecoder().decode(Encoded.self, from: Data(text.utf8))
        let measures = GapColumn.measures(of: kind)
        guard encoded.columns.count >= measures.count,
            Array(encoded.columns.suffix(measures.count)) == measures.map(\.name)
        else {
            throw StoreError.unusable("the stored GAPS answer does not have the columns of GAPS \(kind.rawValue)")
        }
        let columns = GapColumn.columns(of: kind, dimensions: encoded.columns.dropLast(measures.count))
        guard encoded.rows.allSatisfy({ $0.count == columns.count }) else {
            throw StoreError.unusable("a stored GAPS answer has a row of another width than its columns")
        }
        let published = PublishedGaps(
            columns: columns,
            rows: encoded.rows.map { row in zip(row, columns).map { $0.cell(in: $1.content) } },
            protections: encoded.protections.map { protection in
                AppliedProtection(
                    name: protection.name, parameters: protection.parameters.map { ProtectionParameter($0[0], $0[1]) })
            }, k: encoded.k)
        return Stored(release: release, asOf: Date(timeIntervalSince1970: encoded.asOf), published: published)
    }
}

extension StatisticsReleasePeriod {
    init(_ period: ReleasePeriod) {
        switch period {
        case .day: self = .day
        case .week: self = .week
        case .month: self = .month
        case .quarter: self = .quarter
        }
    }
}
