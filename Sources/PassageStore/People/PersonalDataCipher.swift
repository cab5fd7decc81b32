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
public struct PersonalDataCipher: Sendable {
    static let marker: [UInt8] = Array("pd1:".utf8)

    private let key: SymmetricKey

    /// The AES key is derived with HKDF-SHA256 from the personal-data key's text (a generated
    /// key file holds 64 hex digits; an operator's own is at least 32 characters), so the same
    /// key file keeps working and no second secret has to be managed.
    init(secret: String) {
        key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Array(secret.utf8)),
            salt: Array("passage personal-data key".utf8),
            info: Array("persons.identifiers AES-256-GCM v1".utf8),
            outputByteCount: 32)
    }

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
        let clear: Data
        do {
            let box = try AES.GCM.SealedBox(combined: sealed.dropFirst(Self.marker.count))
            clear = try AES.GCM.open(box, using: key, authenticating: Self.context(organisation))
        } catch {
            throw StoreError.conflict(
                "stored personal identifiers do not open with this personal-data key (wrong key, or altered data)")
        }
        return try JSONDecoder().decode(PersonalIdentifiers.self, from: clear)
    }

    static func context(_ organisation: Int64) -> Data {
        Data("passage persons.identifiers organisation \(organisation)".utf8)
    }
}
