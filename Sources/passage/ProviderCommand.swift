import ArgumentParser
import Foundation
import PassageStore
import Postgres

/// `passage provider import|export FILE.csv`: the provider directory as HSDS-style CSV, for
/// exchange with service-mapping tools. Import is all or nothing: every problem of the file is
/// listed with its line and column, and a file with any imports nothing.
struct Provider: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import or export the service provider directory as HSDS-style CSV.",
        subcommands: [Import.self, Export.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set providers from a CSV file (all or nothing).",
            discussion: """
                Columns: \(ProviderCSV.columns.joined(separator: ",")). organization_name, service_types and \
                service_areas are required; lists in a cell are separated by ';'. Each row sets that provider \
                (services and areas replaced), creating its organisation when new.
                """)
        @Argument(help: "The CSV file.") var file: String
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
            guard let text = String(data: data, encoding: .utf8) else { throw ValidationError("\(file) is not UTF-8 text") }
            let providers = ProviderStore()
            let count = try User.withStore(database, action: .providerImport, subject: "file:\((file as NSString).lastPathComponent)") { connection in
                let known = try providers.serviceTypes(on: connection)
                let entries: [ProviderEntry]
                do throws(ProviderCSV.Problems) {
                    entries = try ProviderCSV.parse(text, knownServices: known)
                } catch {
                    for message in error.messages { FileHandle.standardError.write(Data("\(file): \(message)\n".utf8)) }
                    FileHandle.standardError.write(Data("\(error.messages.count) problem(s): nothing imported\n".utf8))
                    throw ExitCode(1)
                }
                for entry in entries { _ = try providers.put(entry, on: connection) }
                return entries.count
            }
            print("imported \(count) provider(s) from \(file)")
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write every provider to a CSV file ('-' for standard output).")
        @Argument(help: "The CSV file to write.") var file: String
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let records = try User.withStore(database, action: nil, subject: "") { try ProviderStore().all(on: $0) }
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
