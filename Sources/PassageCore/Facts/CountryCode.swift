/// An assigned ISO 3166-1 alpha-2 country code, upper case (`CO`, `SY`). Stored as one small
/// number so that comparing countries and looking them up in jurisdiction lists costs nothing.
public struct CountryCode: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// (first letter − A) × 26 + (second letter − A): 0 ..< 676.
    let index: UInt16

    init(uncheckedFirst first: UInt8, second: UInt8) {
        index = UInt16(first &- UInt8(ascii: "A")) &* 26 &+ UInt16(second &- UInt8(ascii: "A"))
    }

    /// The code for two bytes, or nil unless they are an assigned upper-case alpha-2 code.
    init?(first: UInt8, second: UInt8) {
        guard first >= UInt8(ascii: "A"), first <= UInt8(ascii: "Z"),
            second >= UInt8(ascii: "A"), second <= UInt8(ascii: "Z")
        else { return nil }
        let code = CountryCode(uncheckedFirst: first, second: second)
        guard AssignedCountryCodes.assigned.contains(code) else { return nil }
        self = code
    }

    init?(bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count == 2 else { return nil }
        self.init(first: bytes[0], second: bytes[1])
    }

    /// The code for `alpha2`, or nil unless it is an assigned upper-case ISO 3166-1 alpha-2 code.
    public init?(_ alpha2: String) {
        var text = alpha2
        guard let code = text.withUTF8({ CountryCode(bytes: $0) }) else { return nil }
        self = code
    }

    /// The two letters, e.g. `"CO"`.
    public var alpha2: String {
        String(decoding: [firstLetter, secondLetter], as: UTF8.self)
    }

    var firstLetter: UInt8 { UInt8(index / 26) + UInt8(ascii: "A") }
    var secondLetter: UInt8 { UInt8(index % 26) + UInt8(ascii: "A") }

    public var description: String { alpha2 }

    public static func < (lhs: CountryCode, rhs: CountryCode) -> Bool { lhs.index < rhs.index }

    /// Every assigned code, in alphabetical order.
    public static var allAssigned: [CountryCode] { AssignedCountryCodes.assigned.members }
}

/// A set of country codes as a 676-bit map: membership is one shift and one mask.
struct CountrySet: Hashable, Sendable {
    private var words = [UInt64](repeating: 0, count: 11)

    init() {}

    init<S: Sequence>(_ codes: S) where S.Element == CountryCode {
        for code in codes { insert(code) }
    }

    mutating func insert(_ code: CountryCode) {
        words[Int(code.index >> 6)] |= 1 << UInt64(code.index & 63)
    }

    func contains(_ code: CountryCode) -> Bool {
        words[Int(code.index >> 6)] & (1 << UInt64(code.index & 63)) != 0
    }

    /// The members in alphabetical order.
    var members: [CountryCode] {
        (0..<UInt16(676)).compactMap { index in
            let code = CountryCode(
                uncheckedFirst: UInt8(ascii: "A") + UInt8(index / 26),
                second: UInt8(ascii: "A") + UInt8(index % 26))
            return contains(code) ? code : nil
        }
    }
}
