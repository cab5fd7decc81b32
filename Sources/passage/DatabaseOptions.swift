import ArgumentParser
import Logging
import PassageStore

/// The options every database-using subcommand shares, so `serve`, `migrate`, `import` and
/// `user` reach the same database the same way.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Directory of the embedded PostgreSQL cluster (default ./.passage).")
    var dataDirectory: String?

    @Option(name: .customLong("database-url"), help: "Use an existing PostgreSQL instead of the embedded one (also PASSAGE_DATABASE_URL).")
    var databaseURL: String?

    @Option(name: .customLong("schema-dir"), help: "Directory of the SQL migrations (default: Schema/ of this checkout; also PASSAGE_SCHEMA_DIR).")
    var schemaDirectory: String?

    func validate() throws {
        if dataDirectory != nil && databaseURL != nil {
            throw ValidationError("--data-dir and --database-url exclude each other: choose the embedded cluster or an existing server")
        }
        if let dataDirectory, dataDirectory.isEmpty { throw ValidationError("--data-dir must not be empty") }
        if let databaseURL, databaseURL.isEmpty { throw ValidationError("--database-url must not be empty") }
    }

    var location: DatabaseLocation {
        DatabaseLocation.resolve(dataDirectory: dataDirectory, databaseURL: databaseURL)
    }

    /// Opens the database and brings its schema up to date.
    func openMigrated(logger: Logger) throws -> (OpenedDatabase, MigrationRunner.Outcome) {
        let database = try OpenedDatabase.open(location, logger: logger)
        do {
            let migrations = try MigrationSet.load(from: MigrationSet.locateDirectory(explicit: schemaDirectory))
            let outcome = try MigrationRunner(migrations: migrations, logger: logger).run(conninfo: database.conninfo)
            return (database, outcome)
        } catch {
            database.close(stopCluster: false)
            throw error
        }
    }
}
