import ArgumentParser
import Logging
import PassageServices

/// The options every database-using subcommand shares, so `serve`, `migrate`, `import` and
/// `user` reach the same database the same way.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Directory of the embedded PostgreSQL cluster (default ./.passage).")
    var dataDirectory: String?

    @Option(
        name: .customLong("database-url"),
        help: "Use an existing PostgreSQL instead of the embedded one (also PASSAGE_DATABASE_URL).")
    var databaseURL: String?

    @Option(
        name: .customLong("schema-dir"),
        help:
            "Directory of SQL migrations to use instead of those compiled into this binary (development; also PASSAGE_SCHEMA_DIR)."
    )
    var schemaDirectory: String?

    @Option(
        name: .customLong("keyring-url"),
        help:
            "The keyring's database (each person's own key), apart from the case database (also PASSAGE_KEYRING_URL; default: a cluster in DATA-DIR/keyring)."
    )
    var keyringURL: String?

    func validate() throws {
        if dataDirectory != nil && databaseURL != nil {
            throw ValidationError(
                "--data-dir and --database-url exclude each other: choose the embedded cluster or an existing server")
        }
        if let dataDirectory, dataDirectory.isEmpty { throw ValidationError("--data-dir must not be empty") }
        if let databaseURL, databaseURL.isEmpty { throw ValidationError("--database-url must not be empty") }
        if let keyringURL, keyringURL.isEmpty { throw ValidationError("--keyring-url must not be empty") }
    }

    /// The database these flags name, as the services open it.
    var choice: DatabaseChoice {
        DatabaseChoice(
            dataDirectory: dataDirectory, databaseURL: databaseURL, schemaDirectory: schemaDirectory,
            keyringURL: keyringURL)
    }

    /// A one-off subcommand's services on this database, run by the operator at the terminal
    /// (`OperatorIdentity`); `options` when the command needs more than the defaults (the
    /// personal-data key, a classifier, a release period). End with `await host.shutdown()`.
    func openServices(
        _ options: ServiceHostOptions = .commandLine(operatorName: OperatorIdentity.current()),
        logger: Logger
    ) async throws -> ServiceHost {
        try await ServiceHost.open(choice, options, logger: logger)
    }
}
