import Foundation
import Logging
import PassageCore
import Postgres

/// Re-seals under the current personal-data key every stored value that still opens only under
/// the previous one (`passage pii-key rotate`, Docs/operations.md "Rotating the personal-data
/// key"). It runs while the server serves with both keys configured: the server seals new
/// values with the current key and opens either.
///
/// Each table is walked in key order, a batch of `batchSize` rows at a time, read without locks;
/// the rows of a batch that need re-sealing are then locked (FOR UPDATE), opened again (a
/// caseworker may have changed one meanwhile), re-sealed and updated in one transaction, so an
/// interruption leaves finished batches done and the next run carries on (what already opens
/// under the current key is only read). The clear bytes are sealed again as they are, for the
/// same organisation (the associated data of `PersonalDataCipher`), so nothing else changes.
///
/// `persons` comes first: REFER copies a person's sealed value into `referral_contacts`, so a
/// snapshot taken during the walk of `persons` is met later. The walk is repeated until a whole
/// pass finds nothing to re-seal: that pass read every row, and is the proof that no value is
/// left under the previous key.
///
/// A value that opens under neither key (sealed under a third key, moved to another
/// organisation's row, altered) stops the run with an error naming the table and row, never
/// its content; its batch changes nothing.
public struct PersonalDataKeyRotation: Sendable {
    /// How far the walk of one table is, after each re-sealing transaction.
    public struct Progress: Sendable, Equatable {
        public var table: String
        /// Rows of `table` when its walk started.
        public var rows: Int
        /// Rows read so far in this pass.
        public var examined: Int
        /// Values of `table` re-sealed so far in this run.
        public var resealed: Int
    }

    /// What a run did.
    public struct Report: Sendable, Equatable {
        /// Values re-sealed, by table (in walking order).
        public var resealed: [(table: String, count: Int)] = []
        /// Values that already opened under the current key in the first pass.
        public var alreadyCurrent = 0
        /// Passes over the tables (the last one re-sealed nothing).
        public var passes = 0
        /// Keyring entries re-wrapped under the current key (nil: no keyring configured).
        public var rewrapped: Int?
        /// Persons whose blind-index rows were rebuilt under the current key (not in `==`, nor in
        /// the audit detail: the index holds no personal data, and its rebuild is also a start's).
        public var personsReindexed = 0

        public var total: Int { resealed.reduce(0) { $0 + $1.count } }

        public static func == (lhs: Report, rhs: Report) -> Bool {
            lhs.resealed.map(\.table) == rhs.resealed.map(\.table)
                && lhs.resealed.map(\.count)
                    == rhs.resealed.map(\.count)
                && lhs.alreadyCurrent == rhs.alreadyCurrent && lhs.passes == rhs.passes
                && lhs.rewrapped == rhs.rewrapped
        }

        /// The audit entry's detail: counts only.
        var detail: String {
            (resealed.map { "\($0.table)=\($0.count)" } + ["already_current=\(alreadyCurrent)", "passes=\(passes)"]
                + (rewrapped.map { ["person_keys_rewrapped=\($0)"] } ?? []))
                .joined(separator: " ")
        }
    }

    /// The passes after which values still keep appearing under the previous key mean another
    /// process still seals with it.
    static let maximumPasses = 4
    public static let batchSizes = 1...10_000

    /// The current key, opening under the previous one too (`PIIKey.opening(alsoUnder:)`).
    public let key: PIIKey
    public let batchSize: Int

    public init(key: PIIKey, batchSize: Int = 500) {
        self.key = key
        self.batchSize = batchSize
    }

    /// Connects, re-seals, audits under `actor`, disconnects.
    public func run(conninfo: String, actor: String, progress: (Progress) throws -> Void = { _ in }) throws -> Report {
        let connection = try PostgresConnection.connect(conninfo, timeouts: .maintenance)
        defer { connection.close() }
        return try run(on: connection, actor: actor, progress: progress)
    }

    /// On a connection of its own (its row_security setting stays with this session). The
    /// audit entry `pii_key.rotated` records the counts, under `actor` with source `cli`.
    /// `progress` is called after each committed batch; what it throws ends the run there.
    public func run(on connection: PostgresConnection, actor: String, progress: (Progress) throws -> Void = { _ in })
        throws -> Report
    {
        guard key.hasPreviousKeys else {
            throw StoreError.unusable(
                "no previous personal-data key: give the key being replaced as --pii-previous-key-file")
        }
        guard Self.batchSizes.contains(batchSize) else {
            throw StoreError.unusable(
                "the batch size must be \(Self.batchSizes.lowerBound) to \(Self.batchSizes.upperBound), got \(batchSize)"
            )
        }
        // A role under row-level security would see none of the rows and call the work done:
        // with row_security off such a query fails instead.
        _ = try connection.query("SELECT set_config('row_security', 'off', false)")
        let tables = try LegacyIdentifierMigration.tables.filter { entry in
            try connection.query("SELECT to_regclass(\(entry.table)) IS NOT NULL")[0].decode(Bool.self)
        }
        let legacy = LegacyIdentifierMigration(key: key, logger: .init(label: "passage.pii-key"))
        for entry in tables {
            let count: Int
            do {
                count = try legacy.legacyCount(in: entry.table, on: connection)
            } catch let error as PostgresError where error.serverError?.sqlState == "42501" {
                throw StoreError.unusable(
                    """
                    this role may not read every row of \(entry.table) (\(error)): run `passage pii-key rotate` as the                     role that owns the schema (the migration role's --database-url)
                    """)
            }
            guard count == 0 else {
                throw StoreError.unusable(
                    """
                    \(count) value(s) of \(entry.table) are still in pgp_sym_encrypt's format of before schema 12: \
                    run `passage migrate` with the key they were sealed with first
                    """)
            }
        }
        var report = Report(resealed: tables.map { ($0.table, 0) })
        while true {
            report.passes += 1
            var resealedInPass = 0
            for (index, entry) in tables.enumerated() {
                let pass = try walk(
                    entry.table, keyColumn: entry.key, resealedBefore: report.resealed[index].count, on: connection,
                    progress: progress)
                report.resealed[index].count += pass.resealed
                resealedInPass += pass.resealed
                if report.passes == 1 { report.alreadyCurrent += pass.current }
            }
            if resealedInPass == 0 { break }
            guard report.passes < Self.maximumPasses else {
                throw StoreError.unusable(
                    """
                    values sealed under the previous key keep appearing after \(report.passes) passes: a server still \
                    seals with the old key. Restart every server with the new key as --pii-key-file (and the old one \
                    as --pii-previous-key-file), then run this again
                    """)
            }
        }
        // Each person's own key is re-wrapped in the keyring: 32 bytes an entry, and the
        // identifiers sealed under it (`pd2:`) stay byte for byte as they are.
        if let keyring = key.keyring {
            report.rewrapped = try keyring.rewrap(with: key.cipher, batchSize: batchSize)
        }
        // The blind index is keyed by a key derived from the personal-data key: rebuilt under
        // the new one, in batches, while searches look up under both (Docs/finding-persons.md §4).
        if try connection.query("SELECT to_regclass('person_match_keys') IS NOT NULL")[0].decode(Bool.self) {
            report.personsReindexed = try PersonIndexBackfill(key: key, logger: .init(label: "passage.pii-key")).run(
                on: connection, rebuildingStale: true)
        }
        try connection.transaction { connection in
            try AuditLog.append(
                actor: actor, action: .personalDataKeyRotated, subject: "pii-key", source: "cli",
                detail: report.detail, on: connection)
        }
        return report
    }

    /// One pass over `table`: how many values it re-sealed and how many already opened under
    /// the current key.
    func walk(
        _ table: String, keyColumn: String, resealedBefore: Int, on connection: PostgresConnection,
        progress: (Progress) throws -> Void
    ) throws -> (resealed: Int, current: Int) {
        let rowCount = try connection.query("SELECT count(*) FROM \(identifier: table)")[0].decode(Int.self)
        var after: Int64 = 0
        var examined = 0
        var resealed = 0
        var current = 0
        while true {
            let rows = try connection.query(
                """
                SELECT \(identifier: keyColumn), organisation_id, identifiers FROM \(identifier: table)
                 WHERE \(identifier: keyColumn) > \(after) ORDER BY \(identifier: keyColumn) LIMIT \(batchSize)
                """)
            var pending: [Int] = []
            for row in rows {
                let (id, organisation, sealed) = try row.decode((Int64, Int64, [UInt8]).self)
                after = id
                // Under a person's own key (`pd2:`): untouched, its entry is re-wrapped instead.
                if PersonalDataCipher.keyringEntry(of: sealed) != nil {
                    current += 1
                } else if case .current = key.cipher.openClear(sealed, organisation: organisation)?.1 {
                    current += 1
                } else {
                    // Under the previous key, or under none: decided again under the lock.
                    pending.append(Int(id))
                }
            }
            examined += rows.count
            if !pending.isEmpty {
                resealed += try reseal(pending, in: table, keyColumn: keyColumn, on: connection)
                try progress(
                    Progress(table: table, rows: rowCount, examined: examined, resealed: resealedBefore + resealed))
            }
            if rows.count < batchSize { return (resealed, current) }
        }
    }

    /// Locks the rows `ids`, re-seals those still under the previous key and writes them in one
    /// statement; all or nothing.
    func reseal(_ ids: [Int], in table: String, keyColumn: String, on connection: PostgresConnection) throws -> Int {
        try connection.transaction { connection -> Int in
            let rows = try connection.query(
                """
                SELECT \(identifier: keyColumn), organisation_id, identifiers FROM \(identifier: table)
                 WHERE \(identifier: keyColumn) = ANY(\(ids)) ORDER BY \(identifier: keyColumn) FOR UPDATE
                """)
            var changed: [Int] = []
            var values: [String] = []
            for row in rows {
                let (id, organisation, sealed) = try row.decode((Int64, Int64, [UInt8]).self)
                if PersonalDataCipher.keyringEntry(of: sealed) != nil { continue }  // converted meanwhile
                switch key.cipher.openClear(sealed, organisation: organisation) {
                case (_, .current)?:
                    continue  // written anew under the current key since it was read
                case (let clear, .previous)?:
                    let resealed = try key.cipher.seal(clear: clear, organisation: organisation)
                    changed.append(Int(id))
                    values.append(HexText.lowercase(resealed))
                case nil:
                    throw StoreError.unusable(
                        """
                        \(table) row \(keyColumn) \(id): its personal identifiers open under neither the current nor the \
                        previous personal-data key (sealed under another key, moved to another organisation's row, or \
                        altered). Nothing of its batch was changed; the rows before it are re-sealed. Find which key \
                        sealed it, or restore the row from a backup, then run this again
                        """)
                }
            }
            guard !changed.isEmpty else { return 0 }
            // One statement for the batch; the values travel as hex text, ciphertext only.
            try connection.execute(
                """
                UPDATE \(identifier: table) AS t SET identifiers = decode(v.sealed, 'hex')
                  FROM unnest(\(changed)::int8[], \(values)::text[]) AS v(id, sealed)
                 WHERE t.\(identifier: keyColumn) = v.id
                """)
            return changed.count
        }
    }
}
