import ArgumentParser
import Foundation
import Logging
import PassageCore
import PassageServices

/// `passage provider import|export FILE.csv`: the provider directory as HSDS-style CSV, for
/// exchange with service-mapping tools. Import is all or nothing: every problem of the file is
/// listed with its line and column, and a file with any imports nothing. Runs the provider use
/// cases (ProviderService) as the operator (`OperatorIdentity`), with `cli` as source.
struct Provider: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import or export the service provider directory as HSDS-style CSV.",
        subcommands: [Import.self, Export.self])

    /// Runs `work` with the provider service over the database, as the operator.
    static func withProviders<T: Sendable>(
        _ database: DatabaseOptions,
        _ work: (any ProviderService, Actor) async throws(ServiceError) -> T
    ) async throws -> T {
        var logger = Logger(label: "passage.provider")
        logger.logLevel = .warning
        let host = try await database.openServices(logger: logger)
        // The directory is no organisation's data: the operator acts as an administrator would.
        let actor = OperatorIdentity.actor(role: .admin)
        do {
            let value = try await work(host.services.providers, actor)
            await host.shutdown()
            return value
        } catch {
            await host.shutdown()
            throw UserCommandFailure(error: error)
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set providers from a CSV file (all or nothing).",
            discussion: """
                Columns: \(ProviderCSV.columns.joined(separator: ",")). organization_name, service_types and \
                service_areas are required; lists in a cell are separated by ';'. Each row sets that provider \
                (services and areas replaced), creating its organisation when new.
                """)
        @Argument(help: "The CSV file.") var file: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ValidationError("cannot read \(file)")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw ValidationError("\(file) is not UTF-8 text")
            }
            let name = (file as NSString).lastPathComponent
            let outcome = try await Provider.withProviders(database) { providers, actor throws(ServiceError) in
                try await providers.importDirectory(csv: text, file: name, by: actor)
            }
            switch outcome {
            case .imported(let count):
                print("imported \(count) provider(s) from \(file)")
            case .refused(let problems):
                for message in problems { FileHandle.standardError.write(Data("\(file): \(message)\n".utf8)) }
                FileHandle.standardError.write(Data("\(problems.count) problem(s): nothing imported\n".utf8))
                throw ExitCode(1)
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write every provider to a CSV file ('-' for standard output).")
        @Argument(help: "The CSV file to write.") var file: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let records = try await Provider.withProviders(database) { providers, actor throws(ServiceError) in
                try await providers.everyProvider(by: actor)
            }
            let text = ProviderCSV.render(records)
            if file == "-" {
                print(text, terminator: "")
            } else {
                try text.write(toFile: file, atomically: true, encoding: .utf8)
                print("exported \(records.count) provider(s) to \(file)")
            }
        }
    }
}
