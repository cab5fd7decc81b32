/// What a caseworker searches for (`PERSON SEARCH`): any of these, at least one of name, date of
/// birth, phone or document.
public struct PersonQuery: Sendable, Equatable {
    public var name: String?
    public var birth: BirthQuery?
    /// The case facts' `sex` (`female`, `male`, …): a filter, not a key.
    public var sex: String?
    /// The case facts' `nationality` (ISO 3166-1 alpha-2): a filter, not a key.
    public var nationality: String?
    public var phone: String?
    public var document: String?

    public init(
        name: String? = nil, birth: BirthQuery? = nil, sex: String? = nil, nationality: String? = nil,
        phone: String? = nil, document: String? = nil
    ) {
        self.name = name
        self.birth = birth
        self.sex = sex
        self.nationality = nationality
        self.phone = phone
        self.document = document
    }

    /// The query that looks for `person` (the duplicate check of a person being registered).
    public init(_ person: MatchablePerson) {
        self.init(
            name: person.names.first, birth: person.dateOfBirth.flatMap(CalendarDate.init).map(BirthQuery.date),
            phone: person.phone, document: person.documents.first)
        otherNames = Array(person.names.dropFirst())
        otherDocuments = Array(person.documents.dropFirst())
    }

    /// More names and documents of a person searched for as a whole (`init(_ person:)`).
    public var otherNames: [String] = []
    public var otherDocuments: [String] = []

    public var names: [String] { (name.map { [$0] } ?? []) + otherNames }
    public var documents: [String] { (document.map { [$0] } ?? []) + otherDocuments }

    /// The names of the fields given, for the audit entry (never their values).
    public var fieldsGiven: [String] {
        [
            ("name", name != nil), ("dob", birth != nil), ("sex", sex != nil), ("nationality", nationality != nil),
            ("phone", phone != nil), ("document", document != nil),
        ].filter(\.1).map(\.0)
    }
}

/// An approximate date of birth: a day, a month, a year or a range of years.
public enum BirthQuery: Sendable, Equatable {
    case date(CalendarDate)
    case yearMonth(year: Int, month: Int)
    case years(ClosedRange<Int>)

    /// `1990-05-17`, `1990-05`, `1990`, or `1988..1992`; nil for anything else (a range of more
    /// than 20 years is not a date of birth anyone knows).
    public init?(_ text: String) {
        if let date = CalendarDate(text) {
            self = .date(date)
            return
        }
        let digits = { (part: Substring, count: Int) in
            part.count == count && part.allSatisfy { $0.isASCII && $0.isNumber }
        }
        let range = text.components(separatedBy: "..")
        if range.count == 2, digits(Substring(range[0]), 4), digits(Substring(range[1]), 4),
            let low = Int(range[0]), let high = Int(range[1]), low <= high, high - low <= 20, low >= 1900
        {
            self = .years(low...high)
            return
        }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count == 2, digits(parts[0], 4), digits(parts[1], 2), let year = Int(parts[0]),
            let month = Int(parts[1]), (1...12).contains(month), year >= 1900
        {
            self = .yearMonth(year: year, month: month)
            return
        }
        if parts.count == 1, digits(parts[0], 4), let year = Int(parts[0]), year >= 1900 {
            self = .years(year...year)
            return
        }
        return nil
    }

    /// The years it spans.
    public var years: ClosedRange<Int> {
        switch self {
        case .date(let date): date.year...date.year
        case .yearMonth(let year, _): year...year
        case .years(let range): range
        }
    }
}
