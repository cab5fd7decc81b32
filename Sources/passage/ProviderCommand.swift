import ArgumentParser
import Foundation
import Logging
import PassageCore
import PassageServices

/// `passage provider import|export FILE.csv | --hsds DIR`: the provider directory as one flat
/// HSDS-style CSV file, or as an Open Referral HSDS 3 tabular data package (a directory of CSV
/// files with `datapackage.json`), for exchange with service-mapping tools. Import is all or
/// nothing: every problem is listed with its file, line and column, and a file or package with any
/// imports nothing. Runs the provider use cases (ProviderService) as the operator
/// (`OperatorIdentity`), with `cli` as source.
struct Provider: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import or export the service provider directory (flat CSV, or an HSDS 3 data package).",
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
            abstract: "Set providers from a CSV file or an HSDS 3 data package (all or nothing).",
            discussion: """
                Columns: \(ProviderCSV.columns.joined(separator: ",")). organization_name, service_types and \
                service_areas are required; lists in a cell are separated by ';'. Each row sets that provider \
                (services and areas replaced), creating its organisation when new. With --hsds DIR: the HSDS 3 \
                tabular data package in DIR (datapackage.json and its CSV files); each organization's service, \
                areas, capacity, locations, phones and contacts replace the provider's (Docs/referrals.md).
                """)
        @Argument(help: "The CSV file.") var file: String?
        @Option(name: .customLong("hsds"), help: "An HSDS 3 data package directory to import instead.")
        var package: String?
        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            guard (file == nil) != (package == nil) else {
                throw ValidationError("give a CSV file or --hsds DIR (one of them)")
            }
        }

        func run() async throws {
            if let package {
                let files = try HSDSDirectory.read(package)
                let name = (package as NSString).lastPathComponent
                let outcome = try await Provider.withProviders(database) { providers, actor throws(ServiceError) in
                    try await providers.importPackage(files, package: name, by: actor)
                }
                try Self.report(outcome, source: package)
                return
            }
            let file = file ?? ""
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
            try Self.report(outcome, source: file)
        }

        static func report(_ outcome: ProviderImport, source: String) throws {
            switch outcome {
            case .imported(let count):
                print("imported \(count) provider(s) from \(source)")
            case .refused(let problems):
                for message in problems { FileHandle.standardError.write(Data("\(source): \(message)\n".utf8)) }
                FileHandle.standardError.write(Data("\(problems.count) problem(s): nothing imported\n".utf8))
                throw ExitCode(1)
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write every provider to a CSV file ('-' for standard output) or an HSDS 3 data package.")
        @Argument(help: "The CSV file to write.") var file: String?
        @Option(
            name: .customLong("hsds"),
            help: "Write an HSDS 3 data package (datapackage.json and its CSV files) into this directory instead.")
        var package: String?
        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            guard (file == nil) != (package == nil) else {
                throw ValidationError("give a CSV file or --hsds DIR (one of them)")
            }
        }

        func run() async throws {
            if let package {
                let files = try await Provider.withProviders(database) { providers, actor throws(ServiceError) in
                    try await providers.exportPackage(by: actor)
                }
                try HSDSDirectory.write(files, to: package)
                print("exported the provider directory as an HSDS 3 data package to \(package)")
                return
            }
            let file = file ?? "-"
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

/// The files of an HSDS package directory: `datapackage.json` and the CSV files beside it.
enum HSDSDirectory {
    /// `datapackage.json` and every `.csv` file directly in `path` (the package's descriptor says
    /// which of them it uses), as UTF-8 text.
    static func read(_ path: String) throws -> [String: String] {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("\(path) is not a directory (an HSDS data package is a directory)")
        }
        var files: [String: String] = [:]
        for name in try manager.contentsOfDirectory(atPath: path)
        where name == HSDSPackage.descriptorFile || name.hasSuffix(".csv") {
            let file = (path as NSString).appendingPathComponent(name)
            guard let data = manager.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
            guard let text = String(data: data, encoding: .utf8) else {
                throw ValidationError("\(file) is not UTF-8 text")
            }
            files[name] = text
        }
        return files
    }

    /// Writes every file into `path`, creating the directory when missing.
    static func write(_ files: [String: String], to path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (name, text) in files.sorted(by: { $0.key < $1.key }) {
            try text.write(toFile: (path as NSString).appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
    }
}
