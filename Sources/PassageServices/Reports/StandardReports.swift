import Crypto
import Foundation
import PassageCore

/// A standard report as asked for (REPORT, `passage export --report`, `GET /v1/reports/{kind}`).
public struct ReportRequest: Sendable, Equatable {
    public var kind: ReportKind
    /// Smallest published count (default 5, at least 5), as STATS.
    public var k: Int?
    /// One released month (from and to in the same month), or everything released (both nil).
    public var from: String?
    public var to: String?

    public init(kind: ReportKind, k: Int? = nil, from: String? = nil, to: String? = nil) {
        self.kind = kind
        self.k = k
        self.from = from
        self.to = to
    }
}

/// A report made from one release: the laid-out table, the protections of its tables, and its
/// manifest (what was read, with which parameters and protections, and the SHA-256 of the
/// content), by which anyone can trace a figure and make the same report again.
public struct StandardReport: Sendable, Equatable {
    public var request: ReportRequest
    public var release: String
    public var window: String
    public var table: ReportTable
    public var protections: [AppliedProtection]
    /// The CSV form's lines and its SHA-256 (hex).
    public var csvLines: [String]
    public var csvSHA256: String

    /// The CSV form as a file: the lines, each ended by LF.
    public var csvText: String { csvLines.map { $0 + "\n" }.joined() }

    /// The manifest as one JSON object (keys sorted), without the XLSX form's hash; `xlsxSHA256`
    /// adds it when the workbook was made.
    public func manifest(xlsxSHA256: String? = nil) -> String {
        var content: [String: String] = ["csv_sha256": csvSHA256]
        if let xlsxSHA256 { content["xlsx_sha256"] = xlsxSHA256 }
        var parameters: [String: Any] = ["k": request.k ?? 5]
        if let from = request.from { parameters["from"] = from }
        if let to = request.to { parameters["to"] = to }
        let object: [String: Any] = [
            "manifest": "passage standard report v1",
            "report": request.kind.rawValue,
            "title": request.kind.title,
            "release": release,
            "window": window,
            "parameters": parameters,
            "tables": request.kind.queries.map { query -> [String: Any] in
                ["name": query.name, "of": query.of, "by": query.by, "totals": true]
            },
            "protections": protections.map(\.summary),
            "content": content,
            "reproduce": reproduceLine,
        ]
        let data =
            (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
        return data.map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// The console line that makes this report again and checks it is the same (`expect=`).
    public var reproduceLine: String {
        var words = ["REPORT", request.kind.rawValue, "k=\(request.k ?? 5)"]
        if let from = request.from { words.append("from=\(from)") }
        if let to = request.to { words.append("to=\(to)") }
        words.append("expect=\(csvSHA256)")
        return words.joined(separator: " ")
    }

    /// The XLSX form: the report, the protections, and the manifest (without its own hash).
    public var workbook: Spreadsheet {
        let report = Spreadsheet.Sheet(
            name: "report", rows: [table.columns.map { SpreadsheetCell.text($0) }] + table.rows)
        let about: [(String, SpreadsheetCell)] = [
            ("report", .text(request.kind.rawValue)), ("release", .text(release)), ("window", .text(window)),
            ("k", .number(Double(request.k ?? 5))),
        ]
        let manifestSheet = Spreadsheet.Sheet(
            name: "manifest",
            rows: [[.text("name"), .text("value")], [.text("manifest"), .text(manifest())]])
        return Spreadsheet(
            sheets: [report, Spreadsheet.protectionsSheet(about: about, protections: protections), manifestSheet],
            created: Spreadsheet.day(release) ?? Date(timeIntervalSince1970: 315_532_800))
    }
}

/// Makes the standard reports from STATS tables of one release (StatisticsService.aggregates:
/// the release's frozen counts, disclosure control always on, each table audited as a STATS
/// export under the actor). Who may: whoever may run STATS (UseCase.report has its roles).
public enum StandardReports {
    public static func make(
        _ request: ReportRequest, statistics: any StatisticsService, by actor: Actor
    ) async throws(ServiceError) -> StandardReport {
        guard UseCase.report.allows(actor.role) else {
            throw .permissionDenied(
                "REPORT is for " + UseCase.report.roles.map(\.rawValue).sorted().joined(separator: ", "))
        }
        // Every table from the same release: a period boundary crossed between two tables is
        // read again once; twice means the release is changing right now.
        for _ in 0..<2 {
            var exports: [String: StatisticsExport] = [:]
            for query in request.kind.queries {
                exports[query.name] = try await statistics.aggregates(
                    AggregateRequest(
                        of: query.of, by: query.by, k: request.k, totals: true, from: request.from, to: request.to),
                    by: actor)
            }
            let releases = Set(exports.values.map(\.release))
            guard releases.count == 1, let first = exports[request.kind.queries[0].name] else { continue }
            var protections: [AppliedProtection] = []
            for query in request.kind.queries {
                for protection in exports[query.name]?.table.protections ?? []
                where !protections.contains(protection) {
                    protections.append(protection)
                }
            }
            let table = ReportLayout.table(request.kind, exports.mapValues(\.table))
            let lines = table.csvLines
            return StandardReport(
                request: request, release: first.release, window: first.window, table: table,
                protections: protections, csvLines: lines,
                csvSHA256: sha256(Array(lines.map { $0 + "\n" }.joined().utf8)))
        }
        throw .unavailable("a new statistics release is being made; ask again")
    }

    /// Makes the report again and checks it is the one `expectedSHA256` names (a manifest's
    /// `content.csv_sha256`): `conflict` naming the release when it is not — the release moved
    /// on (a report is reproducible while its release is the current one) or the data differ.
    public static func reproduce(
        _ request: ReportRequest, expectedSHA256: String, statistics: any StatisticsService, by actor: Actor
    ) async throws(ServiceError) -> StandardReport {
        let report = try await make(request, statistics: statistics, by: actor)
        guard report.csvSHA256 == expectedSHA256.lowercased() else {
            throw .conflict(
                "the report made now (release \(report.release), sha256 \(report.csvSHA256)) is not the one expected (sha256 \(expectedSHA256)): its release is no longer the current one, or the counts differ"
            )
        }
        return report
    }

    /// The request a manifest (`StandardReport.manifest`) records, and its content hash.
    public static func request(fromManifest text: String) throws(ServiceError) -> (ReportRequest, String) {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any],
            let kindName = object["report"] as? String, let kind = ReportKind(rawValue: kindName),
            let parameters = object["parameters"] as? [String: Any],
            let content = object["content"] as? [String: Any], let hash = content["csv_sha256"] as? String,
            hash.count == 64, hash.allSatisfy(\.isHexDigit)
        else {
            throw .badArgument(
                argument: "manifest", message: "not a report manifest (report, parameters and content.csv_sha256)")
        }
        let k = (parameters["k"] as? NSNumber)?.intValue
        return (
            ReportRequest(kind: kind, k: k, from: parameters["from"] as? String, to: parameters["to"] as? String), hash
        )
    }

    public static func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }
}
