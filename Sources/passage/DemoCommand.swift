import ArgumentParser
import Foundation
import Logging
import PassageCore
import PassageServices

/// `passage demo --cases N --seed S`: loads a deterministic synthetic population for demos and
/// benchmarks (the generator behind `serve --demo`), through COPY, in one transaction.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load a deterministic synthetic population: organisations, providers, cases, needs, referrals.",
        discussion: """
            The same --cases, --seed and --as-of give the same rows (ids aside, which follow what the \
            database holds). Cases belong to demo-ngo and five partner organisations; providers are \
            organisations too. Loading the same seed twice is refused.
            """)

    @Option(help: "How many cases (up to 10,000,000).") var cases: Int = 1_000
    @Option(help: "Seed of the generator.") var seed: UInt64 = 2006
    @Option(
        name: .customLong("as-of"),
        help: "The population's 'now' as YYYY-MM-DD (UTC midnight; default: the current time).")
    var asOf: String?
    @Option(help: "JSON file replacing the OAU 1969 and Cartagena 1984 jurisdiction lists.") var jurisdictions: String?
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var log: LogOptions

    func validate() throws {
        guard (1...10_000_000).contains(cases) else { throw ValidationError("--cases must be between 1 and 10000000") }
        if let asOf, Self.epochSeconds(ofDay: asOf) == nil {
            throw ValidationError("--as-of must be a date YYYY-MM-DD, got \(asOf)")
        }
    }

    static func epochSeconds(ofDay text: String) -> Int64? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        guard text.count == 10, let date = formatter.date(from: text) else { return nil }
        return Int64(date.timeIntervalSince1970)
    }

    func run() throws {
        try log.bootstrapLogging()
        let logger = Logger(label: "passage.demo")
        let classifier = Classifier(jurisdictions: try JurisdictionsOption.load(jurisdictions))
        let opened = try PassageDatabase.open(database.choice, logger: logger)
        defer { opened.close() }
        let now = asOf.flatMap(Self.epochSeconds(ofDay:)) ?? Int64(Date().timeIntervalSince1970)
        let outcome: DemoLoadOutcome
        do {
            outcome = try opened.loadDemoPopulation(
                cases: cases, seed: seed, asOf: now, classifier: classifier, actor: "passage demo")
        } catch {
            FileHandle.standardError.write(Data("passage demo: \(error)\n".utf8))
            throw ExitCode(1)
        }
        print(
            "loaded \(outcome.cases) case(s), \(outcome.needs) need(s), \(outcome.referrals) referral(s), "
                + "\(outcome.referralEvents) referral event(s), \(outcome.providers) provider(s) in \(Import.seconds(outcome.loading))"
        )
        print("  " + outcome.phases.map { "\($0.0) \(Import.seconds($0.1))" }.joined(separator: ", "))
        for category in MovementCategory.allCases.map(\.rawValue) + [MovementCategory.unclassifiedID] {
            print("  \(category): \(outcome.byCategory[category] ?? 0)")
        }
        print("gaps rollup refreshed: \(outcome.rollupRows) rows in \(Import.seconds(outcome.rollupTook))")
        print("  " + outcome.rollupPhases.map { "\($0.0) \(Import.seconds($0.1))" }.joined(separator: ", "))
    }
}
