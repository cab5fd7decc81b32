/// A code with the ISO 3166-2 shape `CC-XXX`: an assigned country code, a hyphen, then one to
/// three upper-case letters or digits (`CO-ANT`, `KE-30`). Only the shape is checked, as the
/// contract asks; the list of subdivisions changes too often to hard-code.
public struct SubdivisionCode: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let country: CountryCode
    /// The part after the hyphen (`ANT`).
    public let localPart: String

    init?(bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count >= 4, bytes.count <= 6, bytes[2] == UInt8(ascii: "-"),
            let country = CountryCode(first: bytes[0], second: bytes[1])
        else { return nil }
        for index in 3..<bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): continue
            default: return nil
            }
        }
        self.country = country
        self.localPart = String(decoding: UnsafeBufferPointer(rebasing: bytes[3...]), as: UTF8.self)
    }

    /// The code for `text`, or nil unless it has the `CC-XXX` shape with an assigned country.
    public init?(_ text: String) {
        var text = text
        guard let code = text.withUTF8({ SubdivisionCode(bytes: $0) }) else { return nil }
        self = code
    }

    /// The full code, e.g. `"CO-ANT"`.
    public var code: String { country.alpha2 + "-" + localPart }

    public var description: String { code }

    public static func < (lhs: SubdivisionCode, rhs: SubdivisionCode) -> Bool { lhs.code < rhs.code }
}
