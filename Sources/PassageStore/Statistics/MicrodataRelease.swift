import Foundation
import PassageCore
import Postgres

/// Anonymised microdata frozen in a release (issue 17; table `microdata_releases`, Schema/0014).
/// The first `passage export --microdata` of a definition (k, l, window) and scope in a release
/// period anonymises the rows recorded before the boundary and stores the file with its risk
/// report; every later request of the period reads it back byte for byte, so an edit to an old
/// row changes no published file until the next release. A refusal (risk above the threshold)
/// is stored as well: an edit cannot turn it into a file within the period either.
struct MicrodataRelease: Equatable {
    var microdata: AnonymisedMicrodata?
    /// Why the file was refused, when it was.
    var refusal: String?
    var madeAt: Date

    /// This release's file for `definition` and `scope`, if it was made.
    static func read(release: Date, scope: String, definition: String, on connection: PostgresConnection) throws
        -> MicrodataRelease?
    {
        guard
            let row = try connection.query(
                """
                SELECT body, refusal, made_at FROM microdata_releases
                 WHERE scope = \(scope) AND release = \(release) AND definition = \(definition)
                """
            ).first
        else { return nil }
        let refusal: String? = row.isNull(at: 1) ? nil : try row.decode(String.self, at: 1)
        let body = try row.decode(String.self, at: 0)
        return MicrodataRelease(
            microdata: refusal == nil ? try Self.decode(body) : nil, refusal: refusal,
            madeAt: try row.decode(Date.self, at: 2))
    }

    /// Stores this file unless another request stored one first (then theirs stands); true when
    /// this one was stored.
    func store(
        release: Date, scope: String, definition: String, k: Int, lDiversity: Int?, madeBy: String,
        on connection: PostgresConnection
    ) throws -> Bool {
        let body = microdata.map(Self.encode) ?? ""
        let lValue: Int? = lDiversity
        let risk: Double? = microdata?.globalRisk
        return try connection.query(
            """
            INSERT INTO microdata_releases (release, scope, definition, body, records, global_risk, k, l_diversity,
                                            suppressed_values, dropped_records, refusal, made_by, made_at)
            VALUES (\(release), \(scope), \(definition), \(body), \(microdata?.rows.count ?? 0), \(risk), \(k), \(lValue),
                    \(microdata?.suppressedValues ?? 0), \(microdata?.droppedRecords ?? 0), \(refusal), \(madeBy), \(madeAt))
            ON CONFLICT DO NOTHING RETURNING 1
            """
        ).count == 1
    }

    /// What the audit entry of the release says: size and the risk report, or the refusal.
    var auditDetail: String {
        guard let microdata else { return "refused: \(refusal ?? "")" }
        return String(
            format: "records=%d global_risk=%.3f%% suppressed_values=%d records_dropped=%d",
            microdata.rows.count, microdata.globalRisk * 100, microdata.suppressedValues, microdata.droppedRecords)
    }

    // MARK: JSON

    struct Encoded: Codable {
        var columns: [String]
        var rows: [[String]]
        var levels: [Int]
        var suppressedValues: Int
        var droppedRecords: Int
        var globalRisk: Double
        var protections: [[String]]
    }

    /// Protections as `[name, parameter, value, parameter, value, …]`.
    static func encode(_ microdata: AnonymisedMicrodata) -> String {
        let encoded = Encoded(
            columns: microdata.columns, rows: microdata.rows, levels: microdata.levels,
            suppressedValues: microdata.suppressedValues, droppedRecords: microdata.droppedRecords,
            globalRisk: microdata.globalRisk,
            protections: microdata.protections.map { [$0.name] + $0.parameters.flatMap { [$0.name, $0.value] } })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try! encoder.encode(encoded), as: UTF8.self)
    }

    static func decode(_ text: String) throws -> AnonymisedMicrodata {
        let encoded = try JSONDecoder().decode(Encoded.self, from: Data(text.utf8))
        let protections = try encoded.protections.map { words -> AppliedProtection in
            guard let name = words.first, words.count % 2 == 1 else {
                throw StoreError.unusable("a stored microdata release is malformed")
            }
            let pairs = stride(from: 1, to: words.count, by: 2).map { ProtectionParameter(words[$0], words[$0 + 1]) }
            return AppliedProtection(name: name, parameters: pairs)
        }
        return AnonymisedMicrodata(
            columns: encoded.columns, rows: encoded.rows, levels: encoded.levels,
            suppressedValues: encoded.suppressedValues, droppedRecords: encoded.droppedRecords,
            globalRisk: encoded.globalRisk, protections: protections)
    }
}
