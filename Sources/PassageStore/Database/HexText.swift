/// Lower-case hexadecimal text of bytes, the one encoder for what Passage hands PostgreSQL as
/// `decode(…, 'hex')` (re-sealed identifiers, re-wrapped keyring entries) and for the audit
/// anchor key's file and signatures. Written out byte by byte: `String(format: "%02x")` per byte
/// took most of a key rotation's time.
public enum HexText {
    static let digits = Array("0123456789abcdef".utf8)

    public static func lowercase(_ bytes: [UInt8]) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
