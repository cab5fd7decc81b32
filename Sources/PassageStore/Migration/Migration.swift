import Foundation

/// One versioned schema change: `Schema/NNNN_name.sql`.
public struct Migration: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// A migration compiled into the binary (`MigrationSet.compiledIn`, written by the
    /// EmbedSchema plugin): its file's bytes, base64-encoded so they stay exact.
    init(version: Int, name: String, base64: String) {
        guard let bytes = Data(base64Encoded: base64), let sql = String(data: bytes, encoding: .utf8) else {
            preconditionFailure(
                "the compiled-in migration \(version) is not base64 of UTF-8: the EmbedSchema plugin is broken")
        }
        self.init(version: version, name: name, sql: sql)
    }

    public var fileName: String { String(format: "%04d_%@.sql", version, name) }
}

public enum MigrationError: Error, CustomStringConvertible, Sendable {
    case badFileName(String)
    case duplicateVersion(Int)
    case modifiedAfterApplied(version: Int, name: String, applied: String, now: String)
    case unknownAppliedVersion(Int, name: String)
    /// A migration of a run failed, and with it the run's whole transaction: none of `pending`
    /// is applied and the database is still at `schema`, where the previous release runs.
    case runRolledBack(version: Int, name: String, underlying: String, pending: [Int], schema: Int)

    public var description: String {
        switch self {
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
                "the database has migration \(version) (\(name)) that this build does not know: a newer Passage has migrated it; "
                + "refusing to run on a schema this program was not written for (run that newer release, or restore the backup taken before the upgrade)"
        case .runRolledBack(let version, let name, let underlying, let pending, let schema):
            let versions = pending.count == 1 ? "\(pending[0])" : "\(pending.first ?? 0)–\(pending.last ?? 0)"
            return
                "migration \(version) (\(name)) failed: \(underlying); none of the pending migrations (\(versions)) was applied, "
                + "the database is still at schema \(schema), where the release that brought it there runs on"
        }
    }
}

/// An ordered set of migrations: those compiled into the binary, or those of a directory.
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

    /// The migrations compiled into this build (from Schema/ by the EmbedSchema plugin).
    public static let compiled = MigrationSet(migrations: compiledIn)

    /// The newest version in the set (0 for none).
    public var latestVersion: Int { migrations.last?.version ?? 0 }

    /// What a database is migrated with: the migrations compiled into this build, or those of a
    /// directory given for development (`--schema-dir`, else `PASSAGE_SCHEMA_DIR`).
    public static func chosen(
        directory explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> MigrationSet {
        if let explicit { return try load(from: explicit) }
        if let fromEnvironment = environment["PASSAGE_SCHEMA_DIR"], !fromEnvironment.isEmpty {
            return try load(from: fromEnvironment)
        }
        return compiled
    }
}
