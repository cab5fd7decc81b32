/// Which PostgreSQL the operator chose on the command line (`--data-dir`, `--database-url`,
/// `--schema-dir`): the embedded cluster in a data directory (default `./.passage`), or an
/// existing server named by a URL (also `PASSAGE_DATABASE_URL`). Every subcommand that works on
/// the database fills one and opens it with `PassageDatabase.open`.
public struct DatabaseChoice: Sendable, Equatable {
    public var dataDirectory: String?
    public var databaseURL: String?
    /// A directory of SQL migrations to use instead of those compiled in (development; also
    /// `PASSAGE_SCHEMA_DIR`).
    public var schemaDirectory: String?
    /// The keyring's database (`--keyring-url`, also `PASSAGE_KEYRING_URL`); nil: beside the
    /// embedded cluster, or none with an existing server (Docs/operations.md "The keyring").
    public var keyringURL: String?

    public init(
        dataDirectory: String? = nil, databaseURL: String? = nil, schemaDirectory: String? = nil,
        keyringURL: String? = nil
    ) {
        self.dataDirectory = dataDirectory
        self.databaseURL = databaseURL
        self.schemaDirectory = schemaDirectory
        self.keyringURL = keyringURL
    }
}
