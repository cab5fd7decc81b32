import Foundation
import Logging
import Postgres

/// Indexes the persons whose blind-index rows are missing or not under the current key
/// (Docs/finding-persons.md §4 "Backfill" and "Rotation"): those registered before schema 20,
/// those indexed before schema 24 recorded the key's generation, and, after `passage pii-key
/// rotate`, every person still under the previous key. It needs the personal-data key, so it
/// cannot run in SQL: it runs in the application — `passage migrate`, `passage serve` before
/// anything is served, and `passage pii-key rotate` after the re-sealing — in batches of one
/// transaction each (the batch's persons locked, each person's rows and generation replaced
/// together), so an interrupted run resumes where it stopped and a search never meets a person
/// half re-indexed. Once done it costs one pass over `persons` reading two columns.
public struct PersonIndexBackfill: Sendable {
    let index: PersonIndexStore
    let logger: Logger
    static let batch = 500

    public init(key: PIIKey, logger: Logger) {
        index = PersonIndexStore(key: key)
        self.logger = logger
    }

    /// How many persons were indexed. `rebuildingStale`: also re-index persons indexed under
    /// another key than the current one. By default only when no previous key is held: during a
    /// rotation a search still finds them under the previous key, and `passage pii-key rotate`
    /// rebuilds them without holding the server's start; once the previous key is dropped
    /// nothing else could find them, so the start rebuilds them before serving.
    @discardableResult
    public func run(on connection: PostgresConnection, rebuildingStale: Bool? = nil) throws -> Int {
        let stale = rebuildingStale ?? !index.key.hasPreviousKeys
        let generation = index.generation
        var indexed = 0
        var after: Int64 = 0
        while true {
            let done = try connection.transaction { connection -> Int64? in
                let rows = try connection.query(
                    """
                    SELECT p.id, p.organisation_id, p.identifiers FROM persons p
                     WHERE p.id > \(after) AND p.erased_at IS NULL
                       AND ((\(stale) AND p.match_key_generation IS DISTINCT FROM \(generation))
                            OR NOT EXISTS (SELECT 1 FROM person_match_keys k WHERE k.person_id = p.id))
                     ORDER BY p.id LIMIT \(Self.batch)
                     FOR UPDATE OF p
                    """)
                for row in rows {
                    let (personID, organisation, sealed) = try row.decode((Int64, Int64, [UInt8]).self)
                    // One that does not open here (its keyring not configured, say) is left for
                    // the next run; a warning says so, start-up goes on.
                    do {
                        let identifiers = try index.open(sealed, organisation: organisation)
                        try index.index(identifiers, personID: personID, organisation: organisation, on: connection)
                        indexed += 1
                    } catch {
                        logger.warning("person \(personID) not indexed for search: \(error)")
                    }
                }
                return rows.count < Self.batch ? nil : try rows.last?.decode(Int64.self, at: 0)
            }
            guard let last = done else { break }
            after = last
        }
        if indexed > 0 { logger.info("indexed \(indexed) persons for search (blind index, Docs/finding-persons.md)") }
        return indexed
    }
}
