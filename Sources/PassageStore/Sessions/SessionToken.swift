import Crypto
import Foundation

/// A token session's bearer token (Docs/security.md "13. API session tokens"): 32 bytes from the
/// system's cryptographic random source, written base64url without padding (43 characters).
/// The client gets the token once; the store keeps only its SHA-256 (`hash`), so a copy of the
/// table opens no session.
public enum SessionToken {
    /// Bytes of randomness in a token: 256 bits, beyond any guessing.
    public static let byteCount = 32
    /// Characters of a token: ⌈32 × 8 / 6⌉.
    public static let length = 43

    /// A new token and its hash.
    public static func make() -> (token: String, hash: Data) {
        // SystemRandomNumberGenerator reads the kernel's CSPRNG (getrandom on Linux).
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<byteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let token = base64URL(bytes)
        return (token, digest(bytes))
    }

    /// The stored hash of `token`, or nil when it is not shaped like a token (wrong length or
    /// alphabet, or not the canonical form of 32 bytes): such a token is refused without asking
    /// the database.
    public static func hash(of token: String) -> Data? {
        guard token.utf8.count == length, let bytes = bytes(of: token), bytes.count == byteCount,
            base64URL(bytes) == token
        else { return nil }
        return digest(bytes)
    }

    static func digest(_ bytes: [UInt8]) -> Data {
        Data(SHA256.hash(data: bytes))
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        var text = Data(bytes).base64EncodedString()
        while text.hasSuffix("=") { text.removeLast() }
        return String(
            text.map { character in
                switch character {
                case "+": "-"
                case "/": "_"
                default: character
                }
            })
    }

    private static func bytes(of token: String) -> [UInt8]? {
        var text = ""
        text.reserveCapacity(token.utf8.count + 1)
        for character in token.unicodeScalars {
            switch character {
            case "A"..."Z", "a"..."z", "0"..."9": text.unicodeScalars.append(character)
            case "-": text.append("+")
            case "_": text.append("/")
            default: return nil
            }
        }
        text.append("=")
        return Data(base64Encoded: text).map(Array.init)
    }
}
