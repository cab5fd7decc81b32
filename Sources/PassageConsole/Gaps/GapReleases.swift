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
public struct GapReleases: Sendable {
    public var period: ReleasePeriod
    public var now: @Sendable () -> Date

    public init(period: ReleasePeriod = .month, now: @escaping @Sendable () -> Date = { Date() }) {
        self.period = period
        self.now = now
    }

    public struct Stored: Sendable, Equatable {
        public var release: Date
        public var asOf: Date
        public var published: PublishedGaps
    }

    /// The stored answer, if this release has one.
    public func read(question: String, scope: String, on connection: PostgresConnection) throws -> Stored? {
        let release = period.cutoff(at: now())
        guard let row = try connection.query("""
            SELECT answer::text FROM gaps_releases WHERE scope = \(scope) AND release = \(release) AND question = \(question)
            """).first else { return nil }
        return try Self.decode(try row.decode(String.self, at: 0), release: release)
    }

    /// Stores `published` as this release's answer unless another request stored one first;
    /// returns the one that stands (audited once, by whoever made it).
    public func keep(_ published: PublishedGaps, asOf: Date, question: String, scope: String, actor: String, source: String,
                     on connection: PostgresConnection) throws -> Stored {
        let release = period.cutoff(at: now())
        let answer = Self.encode(published, asOf: asOf)
        let made = try connection.query("""
            INSERT INTO gaps_releases (release, scope, question, answer, made_by) VALUES (\(release), \(scope), \(question), \(answer)::jsonb, \(actor))
            ON CONFLICT DO NOTHING RETURNING 1
            """).count == 1
        if made {
            try AuditLog.append(actor: actor, action: .gapsRelease, subject: scope, source: source,
                                detail: "release=\(Self.day(release)) \(question) rows=\(published.rows.count)", on: connection)
            return Stored(release: release, asOf: asOf, published: published)
        }
        return try read(question: question, scope: scope, on: connection)!
    }

    /// Publishes a gap table from this release's cells (`ReleaseCells`, unit `gaps.<kind>.<measure>`):
    /// each count keeps its published value across releases while its true count moves by less
    /// than k, like STATS cells. The cells of a question with filters are named with them.
    public func publish(_ table: GapTable, kind: GapKind, question: String, area: String?, category: String?, days: Int,
                        scope: String, on connection: PostgresConnection) throws -> PublishedGaps {
        let release = period.cutoff(at: now())
        var fixed = [("filter_area", area ?? "any"), ("filter_category", category ?? "any")]
        if kind == .unmet { fixed.append(("filter_days", "\(days)")) }
        var rule = DisclosureParameters()
        rule.k = DisclosureParameters.minimumK
        var failure: Error?
        var generator = SystemRandomNumberGenerator()
        let published: PublishedGaps
        do {
            published = try GapPublication.publish(table) { measure, dimensions, needed in
                do {
                    return try ReleaseCells(release: release, scope: scope, unit: "gaps.\(kind.rawValue).\(measure)").resolve(
                        needed, identity: { ReleasedTable.identity(dimensions: dimensions, values: $0, fixed: fixed) },
                        parameters: rule, policyNoise: nil, randomness: &generator, on: connection)
                } catch {
                    if failure == nil { failure = error }
                    return [:]
                }
            }
        } catch {
            throw ConsoleError.badArgument(argument: "by", message: error.description)
        }
        if let failure { throw failure }
        return published
    }

    static func day(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: date)
    }

    // MARK: JSON

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

    enum Value: Codable {
        case string(String), int(Int), double(Double), bool(Bool), null

        init(_ value: ReplyValue) {
            switch value {
            case .string(let text), .json(let text): self = .string(text)
            case .int(let number): self = .int(number)
            case .double(let number): self = .double(number)
            case .bool(let flag): self = .bool(flag)
            case .null: self = .null
            }
        }

        var reply: ReplyValue {
            switch self {
            case .string(let text): .string(text)
            case .int(let number): .int(number)
            case .double(let number): .double(number)
            case .bool(let flag): .bool(flag)
            case .null: .null
            }
        }
    }

    static func encode(_ published: PublishedGaps, asOf: Date) -> String {
        let encoded = Encoded(asOf: asOf.timeIntervalSince1970, columns: published.columns,
                              rows: published.rows.map { $0.map(Value.init) },
                              protections: published.protections.map { Protection(name: $0.name, parameters: $0.parameters.map { [$0.name, $0.value] }) },
                              k: published.k)
        return String(decoding: try! JSONEncoder().encode(encoded), as: UTF8.self)
    }

    static func decode(_ text: String, release: Date) throws -> Stored {
        let encoded = try JSONDecoder().decode(Encoded.self, from: Data(text.utf8))
        let published = PublishedGaps(columns: encoded.columns, rows: encoded.rows.map { $0.map(\.reply) },
                                      protections: encoded.protections.map { protection in
                                          AppliedProtection(name: protection.name, parameters: protection.parameters.map { ProtectionParameter($0[0], $0[1]) })
                                      }, k: encoded.k)
        return Stored(release: release, asOf: Date(timeIntervalSince1970: encoded.asOf), published: published)
    }
}
