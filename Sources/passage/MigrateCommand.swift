import ArgumentParser
import Logging

/// `passage migrate`: applies pending schema migrations and exits.
struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending schema migrations (Schema/NNNN_name.sql) and exit.")

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let logger = Logger(label: "passage.migrate")
        let (opened, outcome) = try database.openMigrated(logger: logger)
        defer { opened.close(stopCluster: false) }
        if outcome.applied.isEmpty {
            print("schema is current at version \(outcome.latestVersion) (\(opened.location))")
        } else {
            print("applied \(outcome.applied.count) migration(s): \(outcome.applied.map(String.init).joined(separator: ", ")); now at version \(outcome.latestVersion) (\(opened.location))")
        }
    }
}
