import Crypto
import Foundation

/// The key that signs audit anchors (`AuditAnchor`). It exists only in the application: it is
/// never sent to PostgreSQL (unlike the personal-data key, which pgcrypto needs), so the
/// database's owner, who can rewrite the chain and recompute its hashes, cannot sign an anchor
/// for the rewritten chain. Kept in a file of mode 0600, generated at first start.
public struct AuditAnchorKey: Sendable, CustomStringConvertible {
    let key: SymmetricKey

    public init(bytes: [UInt8]) throws {
        guard bytes.count >= 32 else {
            throw StoreError.unusable("the audit anchor key must hold at least 32 bytes (got \(bytes.count))")
        }
        key = SymmetricKey(data: bytes)
    }

    public var description: String { "AuditAnchorKey(***)" }

    public static let defaultFileName = "audit-anchor.key"

    /// The key in `path` (hex), or a new random one written there with mode 0600 when the file
    /// does not exist yet. A key file readable by group or others is refused.
    public static func loadOrCreate(at path: String) throws -> AuditAnchorKey {
        if FileManager.default.fileExists(atPath: path) { return try read(path) }
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        // O_EXCL with mode 0600: never a moment where the key is readable by others, and a
        // concurrent first start cannot end with two different keys.
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else {
            if errno == EEXIST { return try read(path) }
            throw StoreError.unusable(
                "cannot create the audit anchor key file \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        let line = Array((HexText.lowercase(bytes) + "\n").utf8)
        let written = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == line.count, fsync(descriptor) == 0 else {
            throw StoreError.unusable("cannot write the audit anchor key file \(path)")
        }
        return try AuditAnchorKey(bytes: bytes)
    }

    static func read(_ path: String) throws -> AuditAnchorKey {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let mode = attributes?[.posixPermissions] as? Int, mode & 0o077 != 0 {
            throw StoreError.unusable(
                "the audit anchor key file \(path) is readable by others (mode \(String(mode, radix: 8))): chmod 600 it"
            )
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
            let bytes = unhex(text.trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            throw StoreError.unusable("cannot read the audit anchor key file \(path) (expected 64 hexadecimal digits)")
        }
        return try AuditAnchorKey(bytes: bytes)
    }

    /// HMAC-SHA256 of `message`, hex.
    func sign(_ message: String) -> String {
        HexText.lowercase(Array(HMAC<SHA256>.authenticationCode(for: Array(message.utf8), using: key)))
    }

    /// Compares in constant time.
    func isValid(signature: String, of message: String) -> Bool {
        guard let code = Self.unhex(signature) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(code, authenticating: Array(message.utf8), using: key)
    }

    static func unhex(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0, !digits.isEmpty else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
