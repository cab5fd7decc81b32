import Foundation
import Postgres

/// Master-key rotation and the start check, on the keyring's side.
extension PersonKeyring {
    /// Re-wraps under `cipher`'s current key every entry still wrapped under a previous one, a
    /// batch per transaction (rows locked, decided again under the lock); returns how many. The
    /// data keys themselves do not change, so nothing sealed under them is touched. An entry
    /// that opens under none of the keys stops the run naming its id; its batch changes nothing.
    func rewrap(with cipher: PersonalDataCipher, batchSize: Int) throws -> Int {
        var after = UUID(uuidString: "00000000-0000-0000-0000-000000000000")!
        var total = 0
        while true {
            let (count, last) = try withConnection { connection -> (Int, UUID?) in
                try connection.transaction { connection -> (Int, UUID?) in
                    let rows = try connection.query(
                        """
                        SELECT id, wrapped FROM person_keys WHERE id > \(after) ORDER BY id LIMIT \(batchSize) FOR UPDATE
                        """)
                    var ids: [String] = []
                    var values: [String] = []
                    var last: UUID?
                    for row in rows {
                        let (id, wrapped) = try row.decode((UUID, [UInt8]).self)
                        last = id
                        guard let (dataKey, current) = cipher.unwrap(wrapped, entry: id) else {
                            throw StoreError.unusable(
                                """
                                keyring entry \(id) opens under neither the current nor the previous personal-data key \
                                (wrapped under another key, or altered); nothing of its batch was changed
                                """)
                        }
                        if current { continue }
                        ids.append(id.uuidString)
                        values.append(HexText.lowercase(try cipher.wrap(dataKey, entry: id)))
                    }
                    if !ids.isEmpty {
                        try connection.execute(
                            """
                            UPDATE person_keys AS k SET wrapped = decode(v.wrapped, 'hex'), wrapped_at = now()
                              FROM unnest(\(ids)::uuid[], \(values)::text[]) AS v(id, wrapped)
                             WHERE k.id = v.id
                            """)
                    }
                    return (ids.count, rows.count < batchSize ? nil : last)
                }
            }
            total += count
            guard let last else { return total }
            after = last
        }
    }

    /// How a sample of entries opens under `cipher`: (read, opened).
    func sample(with cipher: PersonalDataCipher, limit: Int) throws -> (read: Int, opened: Int) {
        try withConnection { connection in
            let rows = try connection.query(
                "SELECT id, wrapped FROM person_keys ORDER BY created_at DESC LIMIT \(limit)")
            var opened = 0
            for row in rows {
                let (id, wrapped) = try row.decode((UUID, [UInt8]).self)
                if cipher.unwrap(wrapped, entry: id) != nil { opened += 1 }
            }
            return (rows.count, opened)
        }
    }
}
