import Foundation
import Logging
import Postgres

/// Re-seals, once, the personal identifiers that pgcrypto's `pgp_sym_encrypt` wrote before
/// Schema/0012, in this process with AES-256-GCM (`PersonalDataCipher`). Run by `passage
/// migrate` (given the key) and by `passage serve` after the SQL migrations, before the server
/// listens.
///
/// Why it sends the key to PostgreSQL this one time: OpenPGP ciphertext can be opened only by an
/// OpenPGP implementation, and writing one here for a one-time conversion would be a larger risk
/// than the exposure it avoids. So each old value is opened with `pgp_sym_decrypt` on a
/// dedicated connection whose statement logging is forced off for that session (the statements
/// and their parameters reach no log: `log_statement`, the duration and sampling logs and the
/// statement-on-error log are all off), and sealed again here. A role that may not change those
/// settings (they need a superuser, or `GRANT SET ON PARAMETER`) gets a clear error instead, and
/// the key is not sent at all. It runs once: the rows it finishes carry the `pd1:` marker and
/// are never selected again, and when none is left the constraints of Schema/0012 are validated
/// and the key is never sent again.
///
/// Batches of `batchSize` rows, each in its own transaction (rows locked, re-sealed and
/// updated together, or not at all), so an interruption leaves finished batches done and the
/// next run carries on.
public struct LegacyIdentifierMigration: Sendable {
    /// The tables holding sealed identifiers, and each one's row key.
    static let tables: [(table: String, key: String)] = [("persons", "id"), ("referral_contacts", "referral_id")]
    static let constraint = "identifiers_sealed_by_application"

    /// The settings that keep this session's statements, and their parameters, out of the log.
    static let loggingOff: [(String, String)] = [
        ("log_statement", "none"), ("log_min_duration_statement", "-1"), ("log_min_duration_sample", "-1"),
        ("log_transaction_sample_rate", "0"), ("log_min_error_statement", "panic"),
        ("log_parameter_max_length", "0"), ("log_parameter_max_length_on_error", "0"),
    ]

    public let key: PIIKey
    public let batchSize: Int
    private let logger: Logger

    public init(key: PIIKey, batchSize: Int = 200, logger: Logger) {
        self.key = key
        self.batchSize = batchSize
        self.logger = logger
    }

    /// Connects, re-seals what is left, validates the constraints, disconnects. Returns the
    /// number of values re-sealed (0 once done).
    @discardableResult
    public func run(conninfo: String) throws -> Int {
        let connection = try PostgresConnection.connect(conninfo, timeouts: .maintenance)
        defer { connection.close() }
        return try run(on: connection)
    }

    /// On a connection of its own: the logging settings it changes stay with this session.
    @discardableResult
    public func run(on connection: PostgresConnection) throws -> Int {
        // A role under row-level security would count none of the rows it cannot see and take
        // the work for done: with row_security off such a query fails instead.
        _ = try connection.query("SELECT set_config('row_security', 'off', false)")
        let tables = try Self.tables.filter { entry in
            try connection.query("SELECT to_regclass(\(entry.table)) IS NOT NULL")[0].decode(Bool.self)
        }
        var resealed = 0
        if try tables.contains(where: { try legacyCount(in: $0.table, on: connection) > 0 }) {
            try turnLoggingOff(on: connection)
            for entry in tables {
                let count = try reseal(entry.table, key: entry.key, on: connection)
                if count > 0 {
                    logger.info(
                        "re-sealed \(count) personal-identifier values of \(entry.table) in the application (AES-256-GCM)"
                    )
                }
                resealed += count
            }
        }
        for entry in tables { try validateConstraint(on: entry.table, connection) }
        // Persons registered before the blind index (schema 20) are indexed here: that too
        // needs the key (Docs/finding-persons.md "Backfill").
        if try connection.query("SELECT to_regclass('person_match_keys') IS NOT NULL")[0].decode(Bool.self) {
            try PersonIndexBackfill(key: key, logger: logger).run(on: connection)
        }
        return resealed
    }

    /// Neither `pd1:` (sealed under the personal-data key) nor `pd2:` (under the person's own key).
    static let legacyCondition = SQLFragment(
        "substring(identifiers FROM 1 FOR 4) NOT IN ('\\x7064313a'::bytea, '\\x7064323a'::bytea)")

    func legacyCount(in table: String, on connection: PostgresConnection) throws -> Int {
        try connection.query("SELECT count(*) FROM \(identifier: table) WHERE \(Self.legacyCondition)")[0].decode(
            Int.self)
    }

    func turnLoggingOff(on connection: PostgresConnection) throws {
        for (name, value) in Self.loggingOff {
            do {
                _ = try connection.query("SELECT set_config(\(name), \(value), false)")
            } catch let error as PostgresError {
                throw StoreError.unusable(
                    """
                    personal identifiers sealed by pgp_sym_encrypt are left to re-seal, which needs the key in one \
                    session with statement logging off, and this role may not turn \(name) off (\(error)): run \
                    `passage migrate` once as a superuser, or GRANT SET ON PARAMETER \
                    \(Self.loggingOff.map(\.0).joined(separator: ", ")) TO the role
                    """)
            }
        }
        // Read back: a setting that did not take means the key is not sent.
        for (name, value) in Self.loggingOff {
            let now = try connection.query("SELECT current_setting(\(name))")[0].decode(String.self)
            guard now == value || (value == "0" && now.hasPrefix("0")) else {
                throw StoreError.unusable(
                    "statement logging could not be turned off (\(name) is \(now)): the personal-data key is not sent")
            }
        }
    }

    /// Re-seals `table`'s old values, a batch per transaction, until none is left.
    func reseal(_ table: String, key keyColumn: String, on connection: PostgresConnection) throws -> Int {
        var total = 0
        while true {
            let done = try connection.transaction { connection -> Int in
                let rows = try connection.query(
                    """
                    SELECT \(identifier: keyColumn), organisation_id, pgp_sym_decrypt(identifiers, \(key.secret))
                      FROM \(identifier: table) WHERE \(Self.legacyCondition)
                     ORDER BY \(identifier: keyColumn) LIMIT \(batchSize) FOR UPDATE
                    """)
                for row in rows {
                    let (id, organisation, clear) = try row.decode((Int64, Int64, String).self)
                    let identifiers = try JSONDecoder().decode(PersonalIdentifiers.self, from: Data(clear.utf8))
                    let sealed = try key.cipher.seal(identifiers, organisation: organisation)
                    try connection.execute(
                        "UPDATE \(identifier: table) SET identifiers = \(sealed) WHERE \(identifier: keyColumn) = \(id)"
                    )
                }
                return rows.count
            }
            total += done
            if done < batchSize { return total }
        }
    }

    /// Once no old value is left, the constraint holds for every row: validated, so the
    /// database itself guarantees the table holds application-sealed values only.
    func validateConstraint(on table: String, _ connection: PostgresConnection) throws {
        let pending = try connection.query(
            """
            SELECT count(*) FROM pg_constraint
             WHERE conrelid = to_regclass(\(table)) AND conname = \(Self.constraint) AND NOT convalidated
            """)[0].decode(Int.self)
        guard pending > 0, try legacyCount(in: table, on: connection) == 0 else { return }
        try connection.execute("ALTER TABLE \(identifier: table) VALIDATE CONSTRAINT \(identifier: Self.constraint)")
    }
}
