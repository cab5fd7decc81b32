import Crypto
import Foundation
import PassageCore
import Postgres

/// Gives every person still sealed under the personal-data key itself (`pd1:`, written before
/// the keyring or without one) a key of their own (`pd2:`), so that they can be erased by
/// crypto-shredding (`passage pii-key convert`, Docs/operations.md "The keyring"). The contact
/// snapshots REFER copied from the person (`referral_contacts`) are sealed again under the same
/// person's key in the same transaction.
///
/// A batch of persons per transaction, rows locked; interrupted, the next run carries on (what
/// is `pd2:` is never selected). A keyring entry made for a batch that then failed stays unused
/// (it names no one). Values that open under none of the configured keys stop the run naming
/// the row, never its content.
public struct PersonKeyConversion: Sendable {
    public struct Report: Sendable, Equatable {
        public var persons = 0
        public var referralContacts = 0
        public init() {}
    }

    public let key: PIIKey
    public let batchSize: Int

    public init(key: PIIKey, batchSize: Int = 500) {
        self.key = key
        self.batchSize = batchSize
    }

    static let underMasterKey = SQLFragment("substring(identifiers FROM 1 FOR 4) = '\\x7064313a'::bytea")

    public func run(on connection: PostgresConnection, actor: String) throws -> Report {
        guard let keyring = key.keyring else {
            throw StoreError.unusable("no keyring to keep the persons' own keys in (--keyring-url)")
        }
        _ = try connection.query("SELECT set_config('row_security', 'off', false)")
        var report = Report()
        while true {
            let done = try connection.transaction { connection -> (persons: Int, contacts: Int) in
                let rows = try connection.query(
                    """
                    SELECT id, organisation_id, identifiers FROM persons WHERE \(Self.underMasterKey)
                     ORDER BY id LIMIT \(batchSize) FOR UPDATE
                    """)
                var keys: [Int64: (UUID, SymmetricKey)] = [:]
                var ids: [Int] = []
                var values: [String] = []
                for row in rows {
                    let (id, organisation, sealed) = try row.decode((Int64, Int64, [UInt8]).self)
                    guard let (clear, _) = key.cipher.openClear(sealed, organisation: organisation) else {
                        throw Self.unopened("persons row id \(id)")
                    }
                    let (entry, dataKey) = try key.newPersonKey(in: keyring)
                    keys[id] = (entry, dataKey)
                    ids.append(Int(id))
                    values.append(
                        HexText.lowercase(
                            try PersonalDataCipher.sealPersonal(
                                clear: clear, organisation: organisation, under: dataKey, entry: entry)))
                }
                guard !ids.isEmpty else { return (0, 0) }
                try connection.execute(
                    """
                    UPDATE persons AS p SET identifiers = decode(v.sealed, 'hex')
                      FROM unnest(\(ids)::int8[], \(values)::text[]) AS v(id, sealed)
                     WHERE p.id = v.id
                    """)
                let contacts = try connection.query(
                    """
                    SELECT rc.referral_id, rc.organisation_id, rc.identifiers, c.person_id
                      FROM referral_contacts rc
                      JOIN referrals r ON r.id = rc.referral_id
                      JOIN cases c ON c.id = r.case_id
                     WHERE c.person_id = ANY(\(ids)) AND substring(rc.identifiers FROM 1 FOR 4) = '\\x7064313a'::bytea
                     ORDER BY rc.referral_id FOR UPDATE OF rc
                    """)
                var contactIDs: [Int] = []
                var contactValues: [String] = []
                for row in contacts {
                    let (referral, organisation, sealed, person) = try row.decode((Int64, Int64, [UInt8], Int64).self)
                    guard let (entry, dataKey) = keys[person],
                        let (clear, _) = key.cipher.openClear(sealed, organisation: organisation)
                    else { throw Self.unopened("referral_contacts row referral_id \(referral)") }
                    contactIDs.append(Int(referral))
                    contactValues.append(
                        HexText.lowercase(
                            try PersonalDataCipher.sealPersonal(
                                clear: clear, organisation: organisation, under: dataKey, entry: entry)))
                }
                if !contactIDs.isEmpty {
                    try connection.execute(
                        """
                        UPDATE referral_contacts AS rc SET identifiers = decode(v.sealed, 'hex')
                          FROM unnest(\(contactIDs)::int8[], \(contactValues)::text[]) AS v(id, sealed)
                         WHERE rc.referral_id = v.id
                        """)
                }
                return (ids.count, contactIDs.count)
            }
            report.persons += done.persons
            report.referralContacts += done.contacts
            if done.persons < batchSize { break }
        }
        try connection.transaction { connection in
            try AuditLog.append(
                actor: actor, action: .personalDataKeyRotated, subject: "pii-key", source: "cli",
                detail:
                    "converted_to_person_keys persons=\(report.persons) referral_contacts=\(report.referralContacts)",
                on: connection)
        }
        return report
    }

    static func unopened(_ row: String) -> StoreError {
        StoreError.unusable(
            """
            \(row): its personal identifiers open under none of the configured personal-data keys; nothing of \
            its batch was changed. Give the key it was sealed with (--pii-previous-key-file during a rotation)
            """)
    }
}
