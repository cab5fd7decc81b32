/// How strongly a candidate is the person searched for: a Fellegi–Sunter score, the sum over the
/// compared fields of log2(m/u) — how much likelier the observed agreement (or disagreement) is
/// between two records of one person than between records of two people. Name parts compare in
/// any order, at four levels (same spelling once folded, same phonetic key, Jaro–Winkler close,
/// different); dates at the level of detail both sides have. A field missing on either side
/// counts zero. Weights and the thresholds were set on the evaluation set
/// (Docs/finding-persons.md "Evaluation").
public enum PersonMatchScore {
    /// At or above: the same person, most probably (`PERSON SET`'s duplicate warning, the
    /// cross-organisation check). Chosen on the evaluation set: recall ≥ 0.95 at ≤ 1 % false
    /// matches.
    public static let strongMatch = 13.0
    /// At or above: listed by a search (a caseworker decides; a weaker match is shown too).
    public static let listed = 4.0

    public static func score(_ query: PersonQuery, _ candidate: MatchablePerson) -> Double {
        Prepared(query).score(candidate)
    }

    /// A query with what every comparison needs of it worked out once — its names transliterated,
    /// split and keyed, its phone and documents normalised — so that scoring many candidates
    /// (a search, a duplicate check) does not redo that for each.
    public struct Prepared: Sendable {
        public let query: PersonQuery
        let names: [[Part]]
        let phone: String?
        let documents: [String]

        public init(_ query: PersonQuery) {
            self.query = query
            names = query.names.map { NameNormalisation.parts($0).map(Part.init) }.filter { !$0.isEmpty }
            phone = query.phone.flatMap(IdentifierNormalisation.phone)
            documents = query.documents.compactMap(IdentifierNormalisation.document)
        }

        public func score(_ candidate: MatchablePerson) -> Double {
            var total = 0.0
            let names = PersonMatchScore.names(
                self.names, candidate.names.map { NameNormalisation.parts($0).map(Part.init) })
            total += names.weight
            if let birth = query.birth, let date = candidate.dateOfBirth.flatMap(CalendarDate.init) {
                total += birthWeight(birth, date)
            }
            if let phone, let other = candidate.phone.flatMap(IdentifierNormalisation.phone) {
                // a household shares its phone: it says nothing more once the given names differ
                total += phone == other ? (names.givenNamesDiffer ? 0 : 7) : -1
            }
            total += PersonMatchScore.documents(
                documents, candidate.documents.compactMap(IdentifierNormalisation.document))
            if let sex = query.sex, let other = candidate.sex { total += sex == other ? 0.3 : -5 }
            if let nationality = query.nationality, let other = candidate.nationality {
                total += nationality.uppercased() == other.uppercased() ? 0.5 : -2
            }
            return total
        }
    }

    /// Two records compared as wholes (the duplicate check of a person being registered).
    public static func score(_ a: MatchablePerson, _ b: MatchablePerson) -> Double {
        var query = PersonQuery(a)
        query.sex = a.sex
        query.nationality = a.nationality
        return score(query, b)
    }

    // MARK: Names

    struct Part: Sendable {
        let folded: String
        let key: String
        init(_ part: String) {
            folded = NameNormalisation.folded(part)
            key = NamePhonetics.key(part)
        }
    }

    /// Phonetic keys of names so frequent among the people Passage serves that sharing them
    /// says less (their u-probability is higher): their agreement weighs half.
    static let frequentKeys: Set<String> = [
        // Mohammed/Mahmoud, Ahmed, Ali, Hassan/Hussein, Omar, Khaled, Youssef, Ibrahim, Mustafa,
        // Abdullah, Abdulrahman, Hamza, Karim, Hamid; Fatima, Aisha, Maryam, Zainab, Khadija,
        // Amina, Noor, Sara
        "mhmd", "ahmd", "al", "hsn", "amr", "hld", "ysf", "abrhm", "mstf", "abdl", "abdrhmn", "hms", "krm", "hmd",
        "ftm", "as", "mrm", "snb", "hdj", "amn", "nr", "sr",
    ]

    /// The best agreement of the query's name parts with the candidate's (any of its names),
    /// each candidate part used once.
    struct NameAgreement {
        var weight: Double
        /// The first parts of both names (the given names, in the usual order) differ.
        var givenNamesDiffer: Bool
    }

    static func names(_ queryNames: [[Part]], _ candidateNames: [[Part]]) -> NameAgreement {
        var best: NameAgreement?
        for query in queryNames where !query.isEmpty {
            for candidate in candidateNames where !candidate.isEmpty {
                let agreement = partsAgreement(query, candidate)
                if agreement.weight > best?.weight ?? -.infinity { best = agreement }
            }
        }
        return best ?? NameAgreement(weight: 0, givenNamesDiffer: false)
    }

    static func partsAgreement(_ query: [Part], _ candidate: [Part]) -> NameAgreement {
        // every (query part, candidate part) level, best first; greedy one-to-one assignment;
        // ties go to parts in the same place (Ahmed Ali Ahmed vs Mohammed Ali Ahmed: the first
        // Ahmed is the given name). A part only one side has counts nothing: names are often
        // recorded shorter, by a namesake as by the person.
        var levels: [(weight: Double, q: Int, c: Int)] = []
        for (q, a) in query.enumerated() {
            for (c, b) in candidate.enumerated() { levels.append((partWeight(a, b), q, c)) }
        }
        levels.sort { ($0.weight, -abs($0.q - $0.c)) > ($1.weight, -abs($1.q - $1.c)) }
        var usedQ = Set<Int>()
        var usedC = Set<Int>()
        var agreement = NameAgreement(weight: 0, givenNamesDiffer: false)
        for level in levels where !usedQ.contains(level.q) && !usedC.contains(level.c) {
            usedQ.insert(level.q)
            usedC.insert(level.c)
            agreement.weight += level.weight
            // The given names differ: siblings, twins above all, share every other part of the
            // name and often the date and phone.
            if level.q == 0, level.c == 0, level.weight < 0 {
                agreement.weight += givenNamesDiffer
                agreement.givenNamesDiffer = true
            }
        }
        return agreement
    }

    static let givenNamesDiffer = -6.0

    static func partWeight(_ a: Part, _ b: Part) -> Double {
        let scale = frequentKeys.contains(a.key) && frequentKeys.contains(b.key) ? 0.7 : 1
        if a.folded == b.folded { return 6 * scale }
        if a.key == b.key { return 5 * scale }
        if JaroWinkler.similarity(a.folded, b.folded) >= 0.86
            || (a.key.count >= 3 && JaroWinkler.similarity(a.key, b.key) >= 0.88)
        {
            return 3 * scale
        }
        // Both records name this part and the names differ: a sibling, a namesake — parts
        // merely missing on one side were left unmatched above and cost little.
        return -9
    }

    // MARK: Dates and numbers

    static func birthWeight(_ birth: BirthQuery, _ date: CalendarDate) -> Double {
        switch birth {
        case .date(let given):
            // 1 January stands for "only the year is known" (how registration forms record it)
            if given.isYearOnly || date.isYearOnly {
                switch abs(given.year - date.year) {
                case 0: return 4
                case 1: return 0
                case 2: return -2
                default: return -6
                }
            }
            if given == date { return 8 }
            if given.year == date.year, given.month == date.day, given.day == date.month { return 6 }
            if abs(given.year - date.year) == 1, given.month == date.month, given.day == date.day { return 5 }
            if given.year == date.year, given.month == date.month { return 2.5 }
            if abs(given.year - date.year) <= 1 { return -4 }
            return -6
        case .yearMonth(let year, let month):
            if year == date.year, month == date.month { return 3 }
            if year == date.year { return 1 }
            if abs(year - date.year) == 1 { return 0 }
            return -4
        case .years(let range):
            if range.contains(date.year) { return range.count == 1 ? 2 : 1 }
            if date.year == range.lowerBound - 1 || date.year == range.upperBound + 1 { return -0.5 }
            return -4
        }
    }

    /// `a` and `b` normalised (`IdentifierNormalisation.document`).
    static func documents(_ a: [String], _ b: [String]) -> Double {
        guard !a.isEmpty, !b.isEmpty else { return 0 }
        if a.contains(where: b.contains) { return 9 }
        for x in a where x.count >= 6 {
            for y in b where oneEditApart(x, y) { return 4 }  // one character mistyped, dropped or added
        }
        return -1
    }
}

/// Whether `a` becomes `b` by replacing, deleting or inserting one character.
func oneEditApart(_ a: String, _ b: String) -> Bool {
    let (x, y) = a.count <= b.count ? (Array(a), Array(b)) : (Array(b), Array(a))
    guard y.count - x.count <= 1 else { return false }
    var i = 0
    while i < x.count && x[i] == y[i] { i += 1 }
    if i == x.count { return y.count == x.count + 1 }
    return x.count == y.count ? x[(i + 1)...] == y[(i + 1)...] : x[i...] == y[(i + 1)...]
}

extension CalendarDate {
    /// The 1st of January: what forms record when only the year of birth is known.
    var isYearOnly: Bool { month == 1 && day == 1 }
}
