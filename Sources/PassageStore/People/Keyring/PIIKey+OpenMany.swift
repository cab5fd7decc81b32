import Crypto
import Foundation

/// Opening many persons at once — the candidates of a search or a duplicate check — with one
/// keyring query for all their keys instead of one round trip each (Docs/finding-persons.md §6).
extension PIIKey {
    /// What each of `sealed` (each sealed for its organisation) opens to, in order: as
    /// `openPerson` would, each `.erased` when its keyring entry is gone.
    public func openPeople(_ sealed: [(bytes: [UInt8], organisation: Int64)]) throws -> [Opened] {
        let entries = Set(sealed.compactMap { PersonalDataCipher.keyringEntry(of: $0.bytes) })
        var dataKeys: [UUID: SymmetricKey] = [:]
        if let keyring, !entries.isEmpty {
            for (entry, wrapped) in try keyring.wrapped(Array(entries)) {
                guard let (dataKey, _) = cipher.unwrap(wrapped, entry: entry) else {
                    throw StoreError.conflict(
                        "the keyring entry of this person does not open with this personal-data key (wrong key, or altered data)"
                    )
                }
                dataKeys[entry] = dataKey
            }
        }
        return try sealed.map { item in
            // `pd1:` values, and `pd2:` ones without a keyring (which `openPerson` refuses alike)
            guard let entry = PersonalDataCipher.keyringEntry(of: item.bytes), keyring != nil else {
                return try openPerson(item.bytes, organisation: item.organisation)
            }
            guard let dataKey = dataKeys[entry] else { return .erased }
            guard
                let clear = PersonalDataCipher.openPersonal(
                    item.bytes, organisation: item.organisation, under: dataKey)
            else {
                throw StoreError.conflict(
                    "stored personal identifiers do not open with this person's key (moved to another organisation's row, or altered)"
                )
            }
            return .identifiers(try JSONDecoder().decode(PersonalIdentifiers.self, from: clear))
        }
    }
}

extension PersonKeyring {
    /// The wrapped keys of the entries `ids` that exist (a destroyed entry is simply missing).
    func wrapped(_ ids: [UUID]) throws -> [UUID: [UInt8]] {
        guard !ids.isEmpty else { return [:] }
        return try withConnection { connection in
            var found: [UUID: [UInt8]] = [:]
            for row in try connection.query(
                "SELECT id, wrapped FROM person_keys WHERE id = ANY(\(ids.map(\.uuidString))::uuid[])")
            {
                let (id, wrapped) = try row.decode((UUID, [UInt8]).self)
                found[id] = wrapped
            }
            return found
        }
    }
}
