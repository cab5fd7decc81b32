import ArgumentParser
import Foundation
import Logging
import PassageConsole
import PassageCore
import PassageServices

/// `passage export`: the STATS aggregates from the command line, or anonymised microdata. The
/// same disclosure control as the console, always on; the protections applied go to standard
/// error (and the export to the audit log), the data to standard output or --output.
struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export anonymised statistics (aggregates) or k-anonymous microdata.",
        discussion: """
            Aggregates: --by category,origin --k 5 --format hxl|csv|json|xlsx [--of cases|needs|referrals] \
            [--from YYYY-MM --to YYYY-MM: one released month] [--totals]. Microdata: --microdata [--k 11] \
            [--l-diversity 2]: one row per case, quasi-identifiers generalised and locally suppressed. \
            Aggregates and microdata are read from the latest release (rows recorded before the start of \
            the current period, categories as they stood then), made at the first export of the period and \
            kept: a microdata file is stored with its risk report and returned unchanged until the next \
            release; differential privacy is set per organisation with passage privacy-policy.
            """)

    @Option(help: "Dimensions, comma-separated: \(AggregateRequest.dimensions.joined(separator: ", ")).") var by:
        String?
    @Option(help: "What to count: cases, needs or referrals (default: implied by --by, else cases).") var of: String?
    @Option(help: "Smallest published count (aggregates, default 5, at least 5) or group size (microdata, default 11).")
    var k: Int?
    @Option(help: "hxl, csv, json or xlsx (a workbook: the table, and the protections on a sheet of their own).")
    var format: String = "csv"
    @Option(help: "First month counted (YYYY-MM or YYYY-MM-DD).") var from: String?
    @Option(help: "Last month counted (YYYY-MM or YYYY-MM-DD).") var to: String?
    /// Refused (issue 17): ε is an organisation's policy (`passage privacy-policy`). Kept only to say so.
    @Option(help: .hidden) var dp: Double?
    @Option(
        name: .customLong("filter"),
        help: "Only rows with this value, as dimension=value (category=refugee_asylum, sex=female …); repeatable.")
    var filters: [String] = []
    @Flag(help: "Also publish margins and the grand total, each perturbed by its own cell key.") var totals = false
    @Flag(help: "Anonymised microdata: one row per case instead of aggregates.") var microdata = false
    @Option(help: "A standard report instead: gbvims, population or referrals (csv or xlsx; Docs/anonymisation.md).")
    var report: String?
    @Option(help: "With --report: write the report's manifest (JSON: release, parameters, protections, SHA-256) here.")
    var manifest: String?
    @Option(help: "Make the report a manifest describes again; fails unless it is byte for byte the same.")
    var reproduce: String?
    @Option(
        name: .customLong("l-diversity"),
        help: "Microdata: at least this many categories in every group (category becomes the sensitive column).")
    var lDiversity: Int?
    @Option(help: "Only this organisation's records (default: every organisation).") var org: String?
    /// Refused: a name given on the command line proves nothing (issue 16). Kept only to say so.
    @Option(help: .hidden) var user: String?
    @Option(
        name: .customLong("release-period"),
        help: "Counted rows end at the start of the current day, week, month or quarter.") var releasePeriod: String =
            "month"
    @Option(help: "Write the export here instead of standard output.") var output: String?
    @Option(help: "HXL: a CSV mapping ISO 3166-2 areas to OCHA P-codes (iso3166_2,pcode), for an area_pcode column.")
    var pcodes: String?
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var log: LogOptions
    @OptionGroup var readPool: ReadPoolOptions

    func validate() throws {
        guard StatisticsFormat(rawValue: format) != nil || format == "xlsx" else {
            throw ValidationError("--format must be hxl, csv, json or xlsx")
        }
        guard StatisticsReleasePeriod(rawValue: releasePeriod) != nil else {
            throw ValidationError("--release-period must be day, week, month or quarter")
        }
        if let report {
            guard ReportKind(rawValue: report) != nil else {
                throw ValidationError("--report must be " + ReportKind.allCases.map(\.rawValue).joined(separator: ", "))
            }
        }
        if report != nil || reproduce != nil {
            if microdata || by != nil || of != nil || totals || !filters.isEmpty || pcodes != nil {
                throw ValidationError("--report and --reproduce take only --k, --from, --to, --org, --format csv|xlsx, --manifest")
            }
            if report != nil && reproduce != nil { throw ValidationError("--report or --reproduce, not both") }
            if format != "csv" && format != "xlsx" { throw ValidationError("a report is csv or xlsx") }
        } else if manifest != nil {
            throw ValidationError("--manifest applies to --report and --reproduce")
        }
        if microdata {
            if by != nil || of != nil || dp != nil || totals || !filters.isEmpty {
                throw ValidationError("--microdata takes only --k, --l-diversity, --from, --to and --org")
            }
            if format != "csv" && format != "xlsx" { throw ValidationError("--microdata writes csv or xlsx") }
        } else if lDiversity != nil {
            throw ValidationError("--l-diversity applies to --microdata")
        }
        for filter in filters where !filter.contains("=") || filter.hasPrefix("=") || filter.hasSuffix("=") {
            throw ValidationError("--filter must be dimension=value, got \(filter)")
        }
        if let pcodes {
            guard format == "hxl", !microdata else { throw ValidationError("--pcodes applies to --format hxl") }
            _ = try pcodeMapping(pcodes)
        }
        if dp != nil {
            throw ValidationError(
                "--dp is refused: differential privacy is an organisation's policy set by an administrator (passage privacy-policy --org NAME --epsilon E --budget B)"
            )
        }
        if user != nil {
            throw ValidationError(
                "--user is refused: a command-line export is audited as \(OperatorIdentity.current()), the operating-system user running it, "
                    + "and spends that identity's privacy budget. To export as a console user, sign in to the console and use STATS"
            )
        }
    }

    /// The report asked for (`--report`), or the one a manifest describes, made again and checked (`--reproduce`).
    func standardReport(_ statistics: any StatisticsService, actor: Actor) async throws -> StandardReport {
        guard let reproduce else {
            let kind = ReportKind(rawValue: report ?? "") ?? .population
            return try await StandardReports.make(
                ReportRequest(kind: kind, k: k, from: from, to: to), statistics: statistics, by: actor)
        }
        guard let data = FileManager.default.contents(atPath: reproduce) else {
            throw ValidationError("--reproduce: cannot read \(reproduce)")
        }
        let (request, expected) = try StandardReports.request(fromManifest: String(decoding: data, as: UTF8.self))
        return try await StandardReports.reproduce(request, expectedSHA256: expected, statistics: statistics, by: actor)
    }

    /// The --pcodes file, read and checked (validate() reads it first, so a bad file stops the export early).
    func pcodeMapping(_ path: String) throws -> PCodeMapping {
        try PCodesOption.load(path)
    }

    func run() async throws {
        try log.bootstrapLogging()
        let logger = Logger(label: "passage.export")
        var options = ServiceHostOptions.commandLine(
            operatorName: OperatorIdentity.current(),
            releasePeriod: StatisticsReleasePeriod(rawValue: releasePeriod) ?? .month)
        options.readPool = try readPool.readPool()
        let host = try await database.openServices(options, logger: logger)
        // Who runs this, not who they say they are: see OperatorIdentity. With --org the figures
        // of that organisation, as its analysts see them; without, every organisation's, as
        // policy staff see them.
        let actor = OperatorIdentity.actor(role: org == nil ? .policy : .analyst, organisation: org ?? "")
        var lines: [String] = []
        var workbook: [UInt8]?
        let protections: [AppliedProtection]
        do {
            if report != nil || reproduce != nil {
                let made = try await standardReport(host.services.statistics, actor: actor)
                var xlsxSHA256: String?
                if format == "xlsx" {
                    let bytes = try XLSXWorkbook.bytes(made.workbook)
                    workbook = bytes
                    xlsxSHA256 = StandardReports.sha256(bytes)
                } else {
                    lines = made.csvLines
                }
                protections = made.protections
                if let manifest {
                    try Data((made.manifest(xlsxSHA256: xlsxSHA256) + "\n").utf8).write(to: URL(fileURLWithPath: manifest))
                }
            } else if microdata {
                let export = try await host.services.statistics.microdata(
                    MicrodataRequest(k: k, lDiversity: lDiversity, from: from, to: to),
                    by: actor)
                if format == "xlsx" {
                    workbook = try XLSXWorkbook.bytes(PublishedWorkbooks.microdata(export))
                } else {
                    lines = StatisticsText.microdataLines(export)
                }
                protections = export.protections
            } else {
                let request = AggregateRequest(
                    of: of,
                    by: by.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) } ?? [],
                    k: k, totals: totals, from: from, to: to,
                    filters: filters.map { pair in
                        let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                        return AggregateRequest.Filter(dimension: parts[0], value: parts.count > 1 ? parts[1] : "")
                    })
                let export = try await host.services.statistics.aggregates(request, by: actor)
                if format == "xlsx" {
                    workbook = try XLSXWorkbook.bytes(PublishedWorkbooks.statistics(export))
                } else {
                    lines = StatisticsFormat(rawValue: format)!.lines(export, pcodes: try pcodes.map(pcodeMapping))
                }
                protections = export.table.protections
                // Where the counts were read, with the protections on standard error.
                if let source = export.readSource {
                    FileHandle.standardError.write(Data((source.infoLine + "\n").utf8))
                }
            }
        } catch {
            await host.shutdown()
            FileHandle.standardError.write(Data("passage export: \(error)\n".utf8))
            throw ExitCode(2)
        }
        await host.shutdown()
        // A workbook's bytes as they are; text with a final line end.
        let content = workbook.map { Data($0) } ?? Data((lines.joined(separator: "\n") + "\n").utf8)
        if let output {
            try content.write(to: URL(fileURLWithPath: output))
        } else {
            FileHandle.standardOutput.write(content)
        }
        FileHandle.standardError.write(
            Data(StatisticsText.protectionLines(protections).map { $0 + "\n" }.joined().utf8))
    }
}
