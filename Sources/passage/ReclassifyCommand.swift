import ArgumentParser
import Foundation
import Logging
import PassageCore
import PassageServices
import Synchronization

/// `passage reclassify`: brings every stored case to the classifier this build carries, in
/// batches, while the server runs. Run once by an operator after an upgrade that changes the
/// rules (the server's log says when cases are pending). Safe to interrupt and run again: it
/// picks up the cases another version decided, and only those. Runs the reclassification use
/// case (CaseService) as the operator (`OperatorIdentity`).
struct Reclassify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Classify stored cases again under \(Classifier.version), keeping each earlier result in the case's history.",
        discussion: """
            Prints progress, then how many cases changed category and which change of the case-facts \
            contract (Part B, C1–C8) explains them, and the overridden cases whose new rule result \
            differs from the supervisor's category (the override stays in force; CASE SHOW flags it).
            """)

    @Option(
        help:
            "Cases per transaction (\(ReclassificationBatch.sizes.lowerBound)–\(ReclassificationBatch.sizes.upperBound))."
    )
    var batch = 2_000
    @Option(help: "JSON file replacing the OAU 1969 and Cartagena 1984 jurisdiction lists (use the server's).")
    var jurisdictions: String?
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var log: LogOptions

    func validate() throws {
        guard ReclassificationBatch.sizes.contains(batch) else {
            throw ValidationError(
                "--batch must be \(ReclassificationBatch.sizes.lowerBound) to \(ReclassificationBatch.sizes.upperBound), got \(batch)"
            )
        }
    }

    func run() async throws {
        try log.bootstrapLogging()
        let logger = Logger(label: "passage.reclassify")
        let classifier = Classifier(jurisdictions: try JurisdictionsOption.load(jurisdictions))
        let host = try await database.openServices(
            .commandLine(operatorName: OperatorIdentity.current(), classifier: classifier),
            logger: logger)
        // Every organisation's cases: the operator acts as an administrator would.
        let actor = OperatorIdentity.actor(role: .admin)
        let clock = ContinuousClock()
        let started = clock.now
        let total: ReclassificationBatch
        do {
            let pending = try await host.services.cases.casesAwaitingReclassification(by: actor)
            print(
                "\(pending) case(s) decided by another classifier version; classifying them under \(Classifier.version)"
            )
            let lastReport = Mutex(started)
            total = try await host.services.cases.reclassify(batchSize: batch, by: actor) { total in
                let due = lastReport.withLock { last in
                    guard clock.now - last >= .seconds(2) else { return false }
                    last = clock.now
                    return true
                }
                if due { print("  \(total.reclassified) of \(pending) (\(total.changedCategory) changed category)") }
            }
            await host.shutdown()
        } catch {
            await host.shutdown()
            throw UserCommandFailure(error: error)
        }
        print(Self.report(total, took: clock.now - started))
        if !total.undecodable.isEmpty { throw ExitCode(1) }
    }

    static func report(_ total: ReclassificationBatch, took: Duration) -> String {
        let seconds = Double(took.components.seconds) + Double(took.components.attoseconds) / 1e18
        var lines = [
            String(
                format: "reclassified %d case(s) in %.1f s; %d changed category", total.reclassified, seconds,
                total.changedCategory)
        ]
        for change in ContractChange.allCases {
            lines.append("  \(change.rawValue) \(change.title): \(total.changedBy[change] ?? 0)")
        }
        if total.leftAlone > 0 {
            lines.append(
                "\(total.leftAlone) case(s) changed by a caseworker during the run were classified by that change")
        }
        if !total.overridesDiffering.isEmpty {
            let shown = total.overridesDiffering.prefix(50).map(String.init).joined(separator: " ")
            lines.append(
                "\(total.overridesDiffering.count) override(s) now differ from the rule result (kept in force; CASE SHOW flags them): "
                    + shown + (total.overridesDiffering.count > 50 ? " …" : ""))
        }
        if !total.undecodable.isEmpty {
            lines.append(
                "\(total.undecodable.count) case(s) whose stored facts no longer decode were left as they were: "
                    + total.undecodable.prefix(50).map(String.init).joined(separator: " "))
        }
        return lines.joined(separator: "\n")
    }
}
