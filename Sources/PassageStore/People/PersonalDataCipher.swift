import Crypto
import Foundation

/// Encrypts personal identifiers in this process with AES-256-GCM (swift-crypto), so neither the
/// key nor a cleartext name or phone number ever reaches PostgreSQL or its logs: the database
/// receives and returns sealed bytes only (Docs/security.md "5. Secrets stay in the application").
///
/// Stored form: `pd1:` (the format marker) + 12-byte nonce + ciphertext + 16-byte tag. The
/// marker's first byte is below 0x80, so it can never be the start of the OpenPGP packet that
/// pgcrypto's `pgp_sym_encrypt` wrote before: the two formats are told apart by their bytes
/// (`LegacyIdentifierMigration`, and the check constraint of Schema/0012).
///
/// The organisation that owns the person is bound in as associated data: sealed identifiers
/// moved to another organisation's row by someone with write access to the tables (the
/// database owner, who has no key) fail to open instead of showing that organisation someone
/// else's person.
///
/// Key rotation (Docs/operations.md "Rotating the personal-data key"): besides the current key
/// it may hold the keys it replaces. It always seals with the current key and opens with the
/// current one first, then each previous one: GCM's tag tells which key sealed a value, so the
/// stored bytes need no key id and the format stays `pd1:`.
public struct PersonalDataCipher: Sendable {
    static let marker: [UInt8] = Array("pd1:".utf8)

    /// Under which of the keys a stored value opens.
    enum Opener: Equatable {
        case current
        /// The previous key at this index (`previousKeys`).
        case previous(Int)
    }

    private let key: SymmetricKey
    /// Keys replaced by `key`, still opened until `passage pii-key rotate` has re-sealed all.
    private let previousKeys: [SymmetricKey]
    /// What wraps each person's own data key in the keyring (`PersonKeyring`), derived from the
    /// same secret for another purpose; and the wrapping keys of `previousKeys`, in their order.
    let wrappingKey: SymmetricKey
    let previousWrappingKeys: [SymmetricKey]

    /// The AES key is derived with HKDF-SHA256 from the personal-data key's text (a generated
    /// key file holds 64 hex digits; an operator's own is at least 32 characters), so the same
    /// key file keeps working and no second secret has to be managed.
    init(secret: String) {
        key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Array(secret.utf8)),
            salt: Array("passage personal-data key".utf8),
            info: Array("persons.identifiers AES-256-GCM v1".utf8),
            outputByteCount: 32)
        previousKeys = []
        wrappingKey = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Array(secret.utf8)),
            salt: Array("passage personal-data key".utf8),
            info: Array("person_keys.wrapped AES-256-GCM key wrap v1".utf8),
            outputByteCount: 32)
        previousWrappingKeys = []
    }

    private init(
        key: SymmetricKey, previousKeys: [SymmetricKey], wrappingKey: SymmetricKey,
        previousWrappingKeys: [SymmetricKey]
    ) {
        self.key = key
        self.previousKeys = previousKeys
        self.wrappingKey = wrappingKey
        self.previousWrappingKeys = previousWrappingKeys
    }

    /// This cipher also opening what `older`'s current key sealed (its own previous keys are
    /// not carried: one rotation at a time).
    func opening(alsoUnder older: PersonalDataCipher) -> PersonalDataCipher {
        PersonalDataCipher(
            key: key, previousKeys: previousKeys + [older.key], wrappingKey: wrappingKey,
            previousWrappingKeys: previousWrappingKeys + [older.wrappingKey])
    }

    /// Whether `other` derives the same current key (a previous key file that is the current one).
    func hasSameKey(as other: PersonalDataCipher) -> Bool {
        key.withUnsafeBytes { mine in other.key.withUnsafeBytes { theirs in mine.elementsEqual(theirs) } }
    }

    var previousKeyCount: Int { previousKeys.count }

    /// Whether `bytes` are in this format (and not pgp_sym_encrypt's, nor clear text).
    public static func isSealed(_ bytes: [UInt8]) -> Bool {
        bytes.count >= marker.count + 12 + 16 && bytes.starts(with: marker)
    }

    func seal(_ identifiers: PersonalIdentifiers, organisation: Int64) throws -> [UInt8] {
        try seal(clear: try JSONEncoder().encode(identifiers), organisation: organisation)
    }

    func seal(clear: Data, organisation: Int64) throws -> [UInt8] {
        let box = try AES.GCM.seal(
            clear, using: key, nonce: AES.GCM.Nonce(), authenticating: Self.context(organisation))
        guard let combined = box.combined else { throw StoreError.unusable("AES-GCM gave no combined form") }
        return Self.marker + Array(combined)
    }

    /// The identifiers sealed for `organisation`; an error when the bytes are not this format,
    /// were sealed under another key or for another organisation, or were altered.
    func open(_ sealed: [UInt8], organisation: Int64) throws -> PersonalIdentifiers {
        guard Self.isSealed(sealed) else {
            throw StoreError.conflict(
                "stored personal identifiers are not in the application's format: run `passage migrate` with the personal-data key"
            )
        }
        guard let (clear, _) = openClear(sealed, organisation: organisation) else {
            throw StoreError.conflict(
                "stored personal identifiers do not open with this personal-data key (wrong key, or altered data)")
        }
        return try JSONDecoder().decode(PersonalIdentifiers.self, from: clear)
    }

    /// The clear bytes of `sealed` and the key that opened them (current first, then each
    /// previous one); nil when it is not this format, or opens under none of the keys for
    /// `organisation` (another key, another organisation's row, altered bytes).
    func openClear(_ sealed: [UInt8], organisation: Int64) -> (Data, Opener)? {
        guard Self.isSealed(sealed),
            let box = try? AES.GCM.SealedBox(combined: sealed.dropFirst(Self.marker.count))
        else { return nil }
        let context = Self.context(organisation)
        if let clear = try? AES.GCM.open(box, using: key, authenticating: context) { return (clear, .current) }
        for (index, previous) in previousKeys.enumerated() {
            if let clear = try? AES.GCM.open(box, using: previous, authenticating: context) {
                return (clear, .previous(index))
            }
        }
        return nil
    }

    static func context(_ organisation: Int64) -> Data {
        Data("passage persons.identifiers organisation \(organisation)".utf8)
    }
}
