import Crypto
import Foundation

/// The `pd2:` format: identifiers sealed under the person's own data key, which the keyring
/// holds wrapped by the personal-data key (`PersonKeyring`).
///
/// Stored form: `pd2:` + the keyring entry's id (16 bytes) + 12-byte nonce + ciphertext +
/// 16-byte tag; the owning organisation is bound in as associated data, as in `pd1:`. The
/// entry id is in the clear so that one keyring lookup opens a person, and so that erasure and
/// rotation find the entry without opening anything.
///
/// A wrapped key: `kw1:` + nonce + the 32 key bytes sealed under the wrapping key + tag, with
/// the entry id as associated data (a wrapped key copied to another entry does not open).
extension PersonalDataCipher {
    static let personMarker: [UInt8] = Array("pd2:".utf8)
    static let wrapMarker: [UInt8] = Array("kw1:".utf8)

    /// The keyring entry `sealed` names; nil when it is not in the `pd2:` format.
    public static func keyringEntry(of sealed: [UInt8]) -> UUID? {
        guard sealed.count >= personMarker.count + 16 + 12 + 16, sealed.starts(with: personMarker) else { return nil }
        let bytes = Array(sealed[personMarker.count..<personMarker.count + 16])
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }

    static func bytes(of id: UUID) -> [UInt8] {
        withUnsafeBytes(of: id.uuid) { Array($0) }
    }

    static func sealPersonal(clear: Data, organisation: Int64, under key: SymmetricKey, entry: UUID) throws -> [UInt8] {
        let box = try AES.GCM.seal(clear, using: key, nonce: AES.GCM.Nonce(), authenticating: context(organisation))
        guard let combined = box.combined else { throw StoreError.unusable("AES-GCM gave no combined form") }
        return personMarker + bytes(of: entry) + Array(combined)
    }

    /// The clear bytes of a `pd2:` value under the person's key; nil when they do not open.
    static func openPersonal(_ sealed: [UInt8], organisation: Int64, under key: SymmetricKey) -> Data? {
        guard keyringEntry(of: sealed) != nil,
            let box = try? AES.GCM.SealedBox(combined: sealed.dropFirst(personMarker.count + 16))
        else { return nil }
        return try? AES.GCM.open(box, using: key, authenticating: context(organisation))
    }

    static func wrapContext(_ entry: UUID) -> Data { Data("passage person key \(entry.uuidString)".utf8) }

    /// `dataKey` wrapped under the current wrapping key.
    func wrap(_ dataKey: SymmetricKey, entry: UUID) throws -> [UInt8] {
        let box = try dataKey.withUnsafeBytes { raw in
            try AES.GCM.seal(
                Data(raw), using: wrappingKey, nonce: AES.GCM.Nonce(), authenticating: Self.wrapContext(entry))
        }
        guard let combined = box.combined else { throw StoreError.unusable("AES-GCM gave no combined form") }
        return Self.wrapMarker + Array(combined)
    }

    /// The data key of entry `entry` and whether it opened under the current wrapping key
    /// (false: under a previous one, so a rotation is to re-wrap it); nil when it opens under none.
    func unwrap(_ wrapped: [UInt8], entry: UUID) -> (key: SymmetricKey, current: Bool)? {
        guard wrapped.starts(with: Self.wrapMarker),
            let box = try? AES.GCM.SealedBox(combined: wrapped.dropFirst(Self.wrapMarker.count))
        else { return nil }
        let context = Self.wrapContext(entry)
        if let raw = try? AES.GCM.open(box, using: wrappingKey, authenticating: context) {
            return (SymmetricKey(data: raw), true)
        }
        for previous in previousWrappingKeys {
            if let raw = try? AES.GCM.open(box, using: previous, authenticating: context) {
                return (SymmetricKey(data: raw), false)
            }
        }
        return nil
    }
}
