import ArgumentParser
import Foundation
import Logging
import PassageCore
import PassageServices

/// `passage import FILE.jsonl`: bulk import of case facts, usable while the server runs. Runs the
/// import use case (CaseService) as the operator (`OperatorIdentity`).
struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import case facts (JSON Lines) into the database through COPY: all or nothing.",
        discussion: """
            Every line is validated first. A file with any bad line imports nothing and lists every \
            bad line; with --skip-bad the good lines are imported and the bad ones written to --rejects.
            """)

    @Argument(help: "The JSON Lines file of case facts.") var file: String
    @Option(help: "Organisation that owns the imported cases (created when missing).") var org: String = "default"
    @Option(help: "Caseworker recorded as owner of the imported cases.") var caseworker: String = "import"
    @Flag(name: .customLong("skip-bad"), help: "Import the good lines and write the bad ones to --rejects.")
    var skipBad = false
    @Option(help: "Where --skip-bad writes rejected lines (default FILE.rejects).") var rejects: String?
    @Option(help: "JSON file replacing the OAU 1969 and Cartagena 1984 jurisdiction lists.") var jurisdictions: String?
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var log: LogOptions

    static func seconds(_ duration: Duration) -> String {
        String(format: "%.2f s", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }

    func validate() throws {
        guard FileManager.default.isReadableFile(atPath: file) else { throw ValidationError("cannot read \(file)") }
        guard (1...64).contains(caseworker.count) else {
            throw ValidationError("--caseworker must be 1 to 64 characters")
        }
        if rejects != nil && !skipBad { throw ValidationError("--rejects only makes sense with --skip-bad") }
    }

    func run() async throws {
        try log.bootstrapLogging()
        let logger = Logger(label: "passage.import")
        let classifier = Classifier(jurisdictions: try JurisdictionsOption.load(jurisdictions))
        let host = try await database.openServices(
            .commandLine(operatorName: OperatorIdentity.current(), classifier: classifier),
            logger: logger)
        let rejectsPath = skipBad ? (rejects ?? file + ".rejects") : nil
        let request = CaseImportRequest(
            path: file, organisation: org, caseworker: caseworker, skipBad: skipBad, rejectsPath: rejectsPath)
        let report: CaseImportReport
        do {
            // Cases of the organisation named: the operator acts as its administrator would.
            report = try await host.services.cases.importCases(
                request, by: OperatorIdentity.actor(role: .admin, organisation: org))
            await host.shutdown()
        } catch {
            await host.shutdown()
            throw UserCommandFailure(error: error)
        }
        for bad in report.badLines {
            FileHandle.standardError.write(Data("\(file): \(bad)\n".utf8))
        }
        if report.refused {
            FileHandle.standardError.write(
                Data(
                    "\(report.badLines.count) bad line(s): nothing imported (use --skip-bad to import the good lines)\n"
                        .utf8))
            throw ExitCode(1)
        }
        print(
            "imported \(report.imported) case(s) into organisation \(org) (validated in \(Self.seconds(report.validating)), loaded in \(Self.seconds(report.loading)))"
        )
        for category in MovementCategory.allCases.map(\.rawValue) + [MovementCategory.unclassifiedID] {
            print("  \(category): \(report.importedByCategory[category] ?? 0)")
        }
        if let rejectsPath, !report.badLines.isEmpty {
            print("rejected \(report.badLines.count) line(s), written to \(rejectsPath)")
            throw ExitCode(2)
        }
    }
}
