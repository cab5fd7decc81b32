import Foundation

/// One versioned schema change: `Schema/NNNN_name.sql`.
public struct Migration: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let sql: String

    public var fileName: String { String(format: "%04d_%@.sql", version, name) }
}

public enum MigrationError: Error, CustomStringConvertible, Sendable {
    case schemaDirectoryNotFound(searched: [String])
    case badFileName(String)
    case duplicateVersion(Int)
    case modifiedAfterApplied(version: Int, name: String, applied: String, now: String)
    case unknownAppliedVersion(Int, name: String)
    case failed(version: Int, name: String, underlying: String)

    public var description: String {
        switch self {
        case .schemaDirectoryNotFound(let searched):
            return
                "no Schema/ directory with migrations found (looked in: \(searched.joined(separator: ", "))); pass --schema-dir or set PASSAGE_SCHEMA_DIR"
        case .badFileName(let name):
            return "migration file \(name) does not match NNNN_name.sql (four digits, underscore, lower-case name)"
        case .duplicateVersion(let version):
            return "two migration files share version \(version)"
        case .modifiedAfterApplied(let version, let name, let applied, let now):
            return
                "migration \(version) (\(name)) was changed after it was applied (checksum \(applied.prefix(12))… in the database, \(now.prefix(12))… on disk); "
                + "never edit an applied migration: add a new one"
        case .unknownAppliedVersion(let version, let name):
            return
                "the database has migration \(version) (\(name)) that this build does not know: it is newer than this program"
        case .failed(let version, let name, let underlying):
            return "migration \(version) (\(name)) failed and was rolled back: \(underlying)"
        }
    }
}

/// The ordered migrations found in a schema directory.
public struct MigrationSet: Sendable {
    public let migrations: [Migration]

    public init(migrations: [Migration]) { self.migrations = migrations.sorted { $0.version < $1.version } }

    /// Reads every `NNNN_name.sql` in `directory`; other files are ignored except `.sql` ones
    /// with a malformed name, which are an error so a typo cannot silently skip a migration.
    public static func load(from directory: String) throws -> MigrationSet {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".sql") }
        var seen = Set<Int>()
        var migrations: [Migration] = []
        for file in files {
            let stem = file.dropLast(4)
            let parts = stem.split(separator: "_", maxSplits: 1)
            guard parts.count == 2, parts[0].count == 4, let version = Int(parts[0]),
                parts[1].allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "_" })
            else {
                throw MigrationError.badFileName(file)
            }
            guard seen.insert(version).inserted else { throw MigrationError.duplicateVersion(version) }
            let sql = try String(contentsOfFile: directory + "/" + file, encoding: .utf8)
            migrations.append(Migration(version: version, name: String(parts[1]), sql: sql))
        }
        return MigrationSet(migrations: migrations)
    }

    /// Where the Schema/ directory is: an explicit path, `PASSAGE_SCHEMA_DIR`, then `Schema/`
    /// beside (or above) the executable — `swift build` puts it in `.build/<config>/` of the
    /// checkout — then `Schema/` in the working directory.
    public static func locateDirectory(
        explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> String {
        var candidates: [String] = []
        if let explicit { candidates.append(explicit) }
        if let fromEnvironment = environment["PASSAGE_SCHEMA_DIR"], !fromEnvironment.isEmpty {
            candidates.append(fromEnvironment)
        }
        var directory = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
            .deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(directory.appendingPathComponent("Schema").path)
            directory.deleteLastPathComponent()
        }
        candidates.append(FileManager.default.currentDirectoryPath + "/Schema")
        for candidate in candidates where FileManager.default.fileExists(atPath: candidate + "/0001_foundation.sql") {
            return candidate
        }
        throw MigrationError.schemaDirectoryNotFound(
            searched: Array(candidates.prefix(3)) + ["…", candidates.last ?? ""])
    }
}
