/// The keys a person is indexed under, and the keys a search looks up (Docs/finding-persons.md
/// "Keys"). Lookups are chosen so that a search with a name and an approximate date reaches every
/// record sharing two name parts, or one name part and a year of birth near the one given, or
/// the date of birth (either way round), or the phone, or a document — without reaching every
/// "Mohammed" of the organisation.
public enum PersonMatchKeys {
    /// Names with more parts than this are indexed on their first ones (a person's full
    /// genealogy of names would make the pairs quadratic).
    static let maximumParts = 5

    /// What `person` is indexed under.
    public static func forRecord(_ person: MatchablePerson) -> Set<MatchKey> {
        var keys = Set<MatchKey>()
        for name in person.names {
            let phonetic = phoneticParts(name)
            keys.formUnion(phonetic.map { MatchKey(.namePart, $0) })
            keys.formUnion(pairs(phonetic))
            if let year = person.dateOfBirth.flatMap(CalendarDate.init)?.year {
                keys.formUnion(phonetic.map { MatchKey(.namePartYear, "\($0)|\(year)") })
            }
        }
        if let date = person.dateOfBirth.flatMap(CalendarDate.init) {
            keys.insert(MatchKey(.birthDate, date.description))
            keys.insert(MatchKey(.birthYearMonth, String(date.description.prefix(7))))
        }
        if let phone = person.phone.flatMap(IdentifierNormalisation.phone) { keys.insert(MatchKey(.phone, phone)) }
        keys.formUnion(person.documents.compactMap(IdentifierNormalisation.document).map { MatchKey(.document, $0) })
        return keys
    }

    /// What a search for `query` looks up: name pairs; with one name part only, the part (and
    /// its years of birth, when given); each name part with each year of birth given (±1 for an
    /// exact date or year-month: ages are often guessed); the date both ways round; the
    /// year-month when that is all that is known of the date; phone; documents.
    public static func forQuery(_ query: PersonQuery) -> Set<MatchKey> {
        var keys = Set<MatchKey>()
        var phonetic: [String] = []
        for name in query.names { phonetic.append(contentsOf: phoneticParts(name).filter { !phonetic.contains($0) }) }
        keys.formUnion(pairs(phonetic))
        var years: ClosedRange<Int>? = query.birth?.years
        if case .years = query.birth {
        } else if let given = years {
            years = (given.lowerBound - 1)...(given.upperBound + 1)
        }
        if let years {
            // not for the most frequent names: "Mohammed, born 1990" reaches hundreds in a
            // large organisation and tells little (the pairs and the date reach them anyway)
            for part in phonetic where !PersonMatchScore.frequentKeys.contains(part) || phonetic.count == 1 {
                keys.formUnion(years.map { MatchKey(.namePartYear, "\(part)|\($0)") })
            }
        }
        if phonetic.count == 1, query.birth == nil { keys.insert(MatchKey(.namePart, phonetic[0])) }
        switch query.birth {
        case .date(let date):
            keys.insert(MatchKey(.birthDate, date.description))
            if let swapped = CalendarDate(
                "\(date.description.prefix(4))-\(date.description.suffix(2))-\(date.description.dropFirst(5).prefix(2))"
            ),
                swapped != date
            {
                keys.insert(MatchKey(.birthDate, swapped.description))
            }
        case .yearMonth(let year, let month) where phonetic.isEmpty:
            keys.insert(
                MatchKey(.birthYearMonth, String(format4(year)) + "-" + (month < 10 ? "0" : "") + String(month)))
        default: break
        }
        if let phone = query.phone.flatMap(IdentifierNormalisation.phone) { keys.insert(MatchKey(.phone, phone)) }
        keys.formUnion(query.documents.compactMap(IdentifierNormalisation.document).map { MatchKey(.document, $0) })
        return keys
    }

    /// The duplicate check of `person`: what a search for it as a whole looks up.
    public static func forQuery(_ person: MatchablePerson) -> Set<MatchKey> { forQuery(PersonQuery(person)) }

    static func phoneticParts(_ name: String) -> [String] {
        var seen: [String] = []
        for part in NameNormalisation.parts(name).prefix(maximumParts) {
            let key = NamePhonetics.key(part)
            if !key.isEmpty, !seen.contains(key) { seen.append(key) }
        }
        return seen
    }

    static func pairs(_ parts: [String]) -> [MatchKey] {
        var keys: [MatchKey] = []
        for (i, a) in parts.enumerated() {
            for b in parts[(i + 1)...] { keys.append(MatchKey(.namePair, a < b ? "\(a)|\(b)" : "\(b)|\(a)")) }
        }
        return keys
    }

    static func format4(_ year: Int) -> String {
        let digits = String(year)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
