/// What a blind-index row says, before it is blinded (HMAC) in the store: which kind of key and
/// its clear value. It never leaves the application in this form.
public struct MatchKey: Sendable, Hashable, CustomStringConvertible {
    public let kind: MatchKeyKind
    public let value: String

    public init(_ kind: MatchKeyKind, _ value: String) {
        self.kind = kind
        self.value = value
    }

    public var description: String { "\(kind):\(value)" }
}

/// The kinds of keys a person is indexed under (stored as `person_match_keys.kind`).
public enum MatchKeyKind: Int16, Sendable, CaseIterable {
    /// The phonetic key of one name part: a one-word name search.
    case namePart = 1
    /// Two name parts' phonetic keys, in alphabetical order: names in any order, parts missing.
    case namePair = 2
    /// One name part's phonetic key and the year of birth: a name with a typing error in all
    /// but one part, when the year is known.
    case namePartYear = 3
    /// The date of birth, `YYYY-MM-DD`.
    case birthDate = 4
    /// The year and month of birth, `YYYY-MM`: a search by an approximate date alone.
    case birthYearMonth = 5
    /// `IdentifierNormalisation.phone`.
    case phone = 6
    /// `IdentifierNormalisation.document`, one per document.
    case document = 7
}
