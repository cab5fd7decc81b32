import Postgres

/// What a database says of its schema: the migration versions recorded in `schema_migrations`.
public enum AppliedMigrations {
    /// The applied versions in order; empty when the table does not exist (a new database).
    public static func versions(on connection: PostgresConnection) throws -> [Int] {
        guard try connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL")[0].decode(Bool.self) else {
            return []
        }
        return try connection.query("SELECT version FROM schema_migrations ORDER BY version").map {
            try $0.decode(Int.self)
        }
    }
}
