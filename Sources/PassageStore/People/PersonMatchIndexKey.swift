import Crypto
import Foundation
import PassageCore

/// The key blind-index values are HMACs under (Docs/finding-persons.md "Key derivation"): derived
/// with HKDF-SHA256 from the personal-data key's text with its own label, so it is never the
/// key that seals identifiers, never sent to the database, and the same in every organisation
/// (equal identifiers meet across organisations for the duplicate check).
struct PersonMatchIndexKey: Sendable {
    private let key: SymmetricKey

    init(secret: String) {
        key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Array(secret.utf8)),
            salt: Array("passage person match keys".utf8),
            info: Array("person_match_keys HMAC-SHA256 v1".utf8),
            outputByteCount: 32)
    }

    /// The first 64 bits of HMAC-SHA256(kind as two bytes big-endian ‖ value), as stored in
    /// `person_match_keys.key`. 64 bits: a false candidate by collision is one in 2^64 per
    /// pair of keys, and the index stays half the size of one over the whole MAC.
    func blind(_ matchKey: MatchKey) -> Int64 {
        let kind = UInt16(bitPattern: matchKey.kind.rawValue)
        let message = [UInt8(kind >> 8), UInt8(kind & 0xFF)] + Array(matchKey.value.utf8)
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: key)
        let high = mac.withUnsafeBytes { bytes in bytes.prefix(8).reduce(UInt64(0)) { ($0 << 8) | UInt64($1) } }
        return Int64(bitPattern: high)
    }

    /// Which key this is, as stamped on each indexed person (`persons.match_key_generation`,
    /// Docs/finding-persons.md §4): the first 64 bits of the HMAC of kind 0 (never a key's kind,
    /// so never a stored key) over a fixed label. It tells keys apart and reveals nothing of them.
    var generation: Int64 {
        let message = [UInt8(0), UInt8(0)] + Array("person_match_keys generation".utf8)
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: key)
        let high = mac.withUnsafeBytes { bytes in bytes.prefix(8).reduce(UInt64(0)) { ($0 << 8) | UInt64($1) } }
        return Int64(bitPattern: high)
    }
}
