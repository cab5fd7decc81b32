import ArgumentParser
import Foundation
import Logging
import PassageServices

/// `passage erase-expired`: the retention sweep `passage serve` runs daily, once, now (for cron
/// on a server started without it, and for tests): finishes interrupted erasures, then erases
/// every person whose cases have all been closed longer than their organisation's retention
/// period (`ORG RETENTION`), each audited `person.erased` with reason retention.
struct EraseExpired: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "erase-expired",
        abstract: "Erase (crypto-shred) the persons of cases closed longer than their organisation's retention period.")

    @Option(
        name: .customLong("pii-key-file"),
        help: "File holding the personal-data key (default: the data directory's; or PASSAGE_PII_KEY).")
    var piiKeyFile: String?
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var log: LogOptions

    func run() async throws {
        try log.bootstrapLogging()
        let logger = Logger(label: "passage.erase-expired")
        var options = ServiceHostOptions.commandLine(operatorName: OperatorIdentity.current())
        options.personalDataKey = .required(file: piiKeyFile)
        let host = try await database.openServices(options, logger: logger)
        let report: RetentionSweepReport
        do {
            report = try await host.services.erasure.eraseExpired(by: OperatorIdentity.actor(role: .admin))
            await host.shutdown()
        } catch {
            await host.shutdown()
            throw UserCommandFailure(error: error)
        }
        print(
            "erased \(report.erased) person(s) past their retention period; \(report.reconciled) interrupted erasure(s) finished; \(report.failed) failed"
        )
        if report.stillUnderMasterKey > 0 {
            print(
                "\(report.stillUnderMasterKey) person(s) are due but sealed under the personal-data key itself: run `passage pii-key convert`, then this again"
            )
        }
        if report.failed > 0 { throw ExitCode(1) }
    }
}
