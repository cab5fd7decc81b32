import Foundation
import Postgres
import Synchronization

/// The keyring: each person's own data key (256 random bits), wrapped by the personal-data key,
/// in a PostgreSQL database apart from the case database (Docs/case-life.md "Retention and
/// erasure"). Erasing a person deletes their entry here: the identifiers sealed under it become
/// unreadable in the case database, its replicas and every backup of it at once, while every
/// other person's entry stays. The case database's backups never carry it (the embedded server
/// keeps it in a cluster of its own, `DIR/keyring`; with `--keyring-url` it is another
/// database), so an old backup restored after an erasure cannot open the erased person again.
///
/// The keyring holds wrapped keys and their ids only: no name, no case, no organisation.
public final class PersonKeyring: Sendable {
    /// One table; made here (not by the case database's migrations) when missing.
    static let schema = """
        CREATE TABLE IF NOT EXISTS person_keys (
            id         uuid PRIMARY KEY,
            wrapped    bytea NOT NULL CHECK (octet_length(wrapped) = 64),
            created_at timestamptz NOT NULL DEFAULT now(),
            wrapped_at timestamptz NOT NULL DEFAULT now()
        )
        """

    public let conninfo: String
    /// Connections kept open between uses (the lookups are one short query each).
    private let idle = Mutex<[Held]>([])
    static let keptIdle = 8

    /// A connection handed between threads, used by one at a time (taken out of `idle`).
    final class Held: @unchecked Sendable {
        let connection: PostgresConnection
        init(_ connection: PostgresConnection) { self.connection = connection }
    }

    /// Opens the keyring at `conninfo`, making its table when missing.
    public init(conninfo: String) throws {
        self.conninfo = conninfo
        try withConnection { connection in try connection.executeScript(Self.schema) }
    }

    /// Runs `body` on one of the keyring's connections (each statement its own transaction).
    func withConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        let held: Held
        if let kept = idle.withLock({ $0.popLast() }) {
            held = kept
        } else {
            do {
                held = Held(try PostgresConnection.connect(conninfo, timeouts: .standard))
            } catch {
                throw StoreError.unusable("the keyring database cannot be reached: \(error)")
            }
        }
        let result: Result<T, any Error> = Result { try body(held.connection) }
        if held.connection.isHealthy && !held.connection.isInTransaction
            && idle.withLock({ kept in
                guard kept.count < Self.keptIdle else { return false }
                kept.append(held)
                return true
            })
        {
        } else {
            held.connection.close()
        }
        return try result.get()
    }

    /// Closes the kept connections.
    public func close() {
        for held in idle.withLock({ kept in
            defer { kept = [] }
            return kept
        }) { held.connection.close() }
    }

    func insert(_ id: UUID, wrapped: [UInt8]) throws {
        try withConnection { connection in
            _ = try connection.execute("INSERT INTO person_keys (id, wrapped) VALUES (\(id), \(wrapped))")
        }
    }

    /// The wrapped key of entry `id`; nil when there is none (destroyed: the person was erased).
    func wrapped(_ id: UUID) throws -> [UInt8]? {
        try withConnection { connection in
            try connection.query("SELECT wrapped FROM person_keys WHERE id = \(id)").first?.decode([UInt8].self)
        }
    }

    /// Destroys the entries `ids` (those already gone are no error); how many were there.
    @discardableResult
    public func destroy(_ ids: [UUID]) throws -> Int {
        guard !ids.isEmpty else { return 0 }
        return try withConnection { connection in
            try connection.execute("DELETE FROM person_keys WHERE id = ANY(\(ids.map(\.uuidString))::uuid[])")
        }
    }

    /// How many entries the keyring holds.
    public func count() throws -> Int {
        try withConnection { connection in try connection.query("SELECT count(*) FROM person_keys")[0].decode(Int.self)
        }
    }
}
