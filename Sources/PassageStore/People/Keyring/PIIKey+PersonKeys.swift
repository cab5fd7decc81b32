import Crypto
import Foundation

/// Sealing and opening a person's identifiers whichever format they are in: `pd2:` under the
/// person's own key from the keyring (one lookup), `pd1:` under the personal-data key itself
/// (written before the keyring, or without one).
extension PIIKey {
    /// What a stored value opened to.
    public enum Opened: Sendable, Equatable {
        case identifiers(PersonalIdentifiers)
        /// The person's keyring entry is gone: they were erased, and nothing opens them again.
        case erased
    }

    /// `identifiers` sealed for `organisation`: under the key of the keyring entry `stored`
    /// already names (a person keeps their key), else under a new entry's key; `pd1:` when there
    /// is no keyring. An error when `stored` names an entry that was destroyed.
    public func sealPerson(_ identifiers: PersonalIdentifiers, organisation: Int64, replacing stored: [UInt8]?)
        throws -> [UInt8]
    {
        let clear = try JSONEncoder().encode(identifiers)
        guard let keyring else { return try cipher.seal(clear: clear, organisation: organisation) }
        if let stored, let entry = PersonalDataCipher.keyringEntry(of: stored) {
            guard let dataKey = try personKey(entry, in: keyring) else {
                throw StoreError.conflict("the person's personal details were erased; nothing can be recorded for them")
            }
            return try PersonalDataCipher.sealPersonal(
                clear: clear, organisation: organisation, under: dataKey, entry: entry)
        }
        let (entry, dataKey) = try newPersonKey(in: keyring)
        return try PersonalDataCipher.sealPersonal(
            clear: clear, organisation: organisation, under: dataKey, entry: entry)
    }

    /// A new keyring entry with a random 256-bit key.
    func newPersonKey(in keyring: PersonKeyring) throws -> (UUID, SymmetricKey) {
        let entry = UUID()
        let dataKey = SymmetricKey(size: .bits256)
        try keyring.insert(entry, wrapped: cipher.wrap(dataKey, entry: entry))
        return (entry, dataKey)
    }

    /// The data key of `entry`; nil when the entry was destroyed. An error when it exists but
    /// opens under none of the configured keys.
    func personKey(_ entry: UUID, in keyring: PersonKeyring) throws -> SymmetricKey? {
        guard let wrapped = try keyring.wrapped(entry) else { return nil }
        guard let (dataKey, _) = cipher.unwrap(wrapped, entry: entry) else {
            throw StoreError.conflict(
                "the keyring entry of this person does not open with this personal-data key (wrong key, or altered data)"
            )
        }
        return dataKey
    }

    /// The identifiers in `sealed` for `organisation`, or `.erased` when their key was destroyed.
    public func openPerson(_ sealed: [UInt8], organisation: Int64) throws -> Opened {
        guard let clear = try openClearPerson(sealed, organisation: organisation) else { return .erased }
        return .identifiers(try JSONDecoder().decode(PersonalIdentifiers.self, from: clear))
    }

    /// The clear bytes of `sealed` (either format); nil when its keyring entry is gone.
    func openClearPerson(_ sealed: [UInt8], organisation: Int64) throws -> Data? {
        guard let entry = PersonalDataCipher.keyringEntry(of: sealed) else {
            guard PersonalDataCipher.isSealed(sealed) else {
                throw StoreError.conflict(
                    "stored personal identifiers are not in the application's format: run `passage migrate` with the personal-data key"
                )
            }
            guard let (clear, _) = cipher.openClear(sealed, organisation: organisation) else {
                throw StoreError.conflict(
                    "stored personal identifiers do not open with this personal-data key (wrong key, or altered data)")
            }
            return clear
        }
        guard let keyring else {
            throw StoreError.unusable(
                "personal identifiers are sealed under per-person keys and no keyring is configured (--keyring-url)")
        }
        guard let dataKey = try personKey(entry, in: keyring) else { return nil }
        guard let clear = PersonalDataCipher.openPersonal(sealed, organisation: organisation, under: dataKey) else {
            throw StoreError.conflict(
                "stored personal identifiers do not open with this person's key (moved to another organisation's row, or altered)"
            )
        }
        return clear
    }

    /// `sealed` (for `from`) sealed again for `to` under the same key: a case changing owner.
    /// Nil when the person was erased (their value stays as it is: nothing opens it anyway).
    public func resealPerson(_ sealed: [UInt8], from: Int64, to: Int64) throws -> [UInt8]? {
        guard let clear = try openClearPerson(sealed, organisation: from) else { return nil }
        if let entry = PersonalDataCipher.keyringEntry(of: sealed), let keyring,
            let dataKey = try personKey(entry, in: keyring)
        {
            return try PersonalDataCipher.sealPersonal(clear: clear, organisation: to, under: dataKey, entry: entry)
        }
        return try cipher.seal(clear: clear, organisation: to)
    }
}
