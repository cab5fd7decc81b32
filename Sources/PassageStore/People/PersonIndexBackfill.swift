import Foundation
import Logging
import Postgres

/// Indexes the persons that have identifiers but no blind-index rows: those registered before
/// schema 20 (Docs/finding-persons.md "Backfill"). It needs the personal-data key, so it cannot
/// run in SQL: it runs in the application, where the legacy identifiers are re-sealed
/// (`passage migrate`, and `passage serve` before anything is served), in batches of one
/// transaction each, so an interrupted run resumes where it stopped. Once done it costs one
/// index-only query.
public struct PersonIndexBackfill: Sendable {
    let index: PersonIndexStore
    let logger: Logger
    static let batch = 500

    public init(key: PIIKey, logger: Logger) {
        index = PersonIndexStore(key: key)
        self.logger = logger
    }

    /// How many persons were indexed.
    @discardableResult
    public func run(on connection: PostgresConnection) throws -> Int {
        var indexed = 0
        var after: Int64 = 0
        while true {
            let done = try connection.transaction { connection -> Int64? in
                let rows = try connection.query(
                    """
                    SELECT p.id, p.organisation_id, p.identifiers FROM persons p
                     WHERE p.id > \(after) AND p.erased_at IS NULL
                       AND NOT EXISTS (SELECT 1 FROM person_match_keys k WHERE k.person_id = p.id)
                     ORDER BY p.id LIMIT \(Self.batch)
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
