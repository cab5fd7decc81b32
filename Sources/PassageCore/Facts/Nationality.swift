/// `nationality`: a country, or one of the two words the contract allows instead.
public enum Nationality: Hashable, Sendable, CustomStringConvertible {
    case country(CountryCode)
    /// Not considered a national by any State under the operation of its law (1954 Convention art. 1).
    case stateless
    case unknown

    /// The country code when the nationality is one.
    public var country: CountryCode? {
        if case .country(let code) = self { return code }
        return nil
    }

    /// The contract's text: a code, `stateless` or `unknown`.
    public var description: String {
        switch self {
        case .country(let code): return code.alpha2
        case .stateless: return "stateless"
        case .unknown: return "unknown"
        }
    }

    /// Parses the contract's text; nil for anything else.
    init?(bytes: UnsafeBufferPointer<UInt8>) {
        if let code = CountryCode(bytes: bytes) {
            self = .country(code)
        } else if bytes.elementsEqual("stateless".utf8) {
            self = .stateless
        } else if bytes.elementsEqual("unknown".utf8) {
            self = .unknown
        } else {
            return nil
        }
    }

    public init?(_ text: String) {
        var text = text
        guard let value = text.withUTF8({ Nationality(bytes: $0) }) else { return nil }
        self = value
    }
}
