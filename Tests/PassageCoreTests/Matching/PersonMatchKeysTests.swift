import PassageCore
import Testing

/// Which keys a record is indexed under and which a search looks up: a search reaches the
/// record through at least one shared key whenever the person could be the one searched for.
@Suite("Person match keys")
struct PersonMatchKeysTests {
    static let record = MatchablePerson(
        names: ["Mohammed Hassan Al-Shammari"], dateOfBirth: "1990-05-07", phone: "+963 944 123 456",
        documents: ["N-0123456"])

    static func reaches(_ query: PersonQuery) -> Bool {
        !PersonMatchKeys.forQuery(query).isDisjoint(with: PersonMatchKeys.forRecord(record))
    }

    @Test("the record's keys: name parts, pairs, part and year, dates, phone, document")
    func recordKeys() {
        let keys = PersonMatchKeys.forRecord(Self.record)
        #expect(keys.contains(MatchKey(.namePart, "mhmd")))
        #expect(keys.contains(MatchKey(.namePair, "hsn|mhmd")))
        #expect(keys.contains(MatchKey(.namePair, "hsn|smr")))
        #expect(keys.contains(MatchKey(.namePartYear, "smr|1990")))
        #expect(keys.contains(MatchKey(.birthDate, "1990-05-07")))
        #expect(keys.contains(MatchKey(.birthYearMonth, "1990-05")))
        #expect(keys.contains(MatchKey(.phone, "944123456")))
        #expect(keys.contains(MatchKey(.document, "N0123456")))
        #expect(keys.count == 3 + 3 + 3 + 2 + 1 + 1)
    }

    @Test(
        "a search finds the record through variants",
        arguments: [
            PersonQuery(name: "الشمري محمد"),  // another script, family name first
            PersonQuery(name: "Shammari Muhammad", birth: BirthQuery("1990")),
            PersonQuery(name: "Mohamed", birth: BirthQuery("1989..1991")),
            PersonQuery(name: "Mohamad Hasan"),
            PersonQuery(name: "Mohamned Hassan Shamari", birth: BirthQuery("1990-05")),  // typos in two parts
            PersonQuery(birth: BirthQuery("1990-07-05")),  // day and month swapped
            PersonQuery(birth: BirthQuery("1990-05")),
            PersonQuery(phone: "0944123456"),
            PersonQuery(document: "n0123456"),
        ])
    func reachesVariants(_ query: PersonQuery) {
        #expect(Self.reaches(query))
    }

    @Test(
        "a search for someone else does not reach the record",
        arguments: [
            PersonQuery(name: "Ahmed Ali"),
            PersonQuery(name: "Mohammed Ali"),
            PersonQuery(name: "Hassan", birth: BirthQuery("1975")),
            PersonQuery(birth: BirthQuery("1990-06-07")),
            PersonQuery(phone: "0944123457"),
        ])
    func missesOthers(_ query: PersonQuery) {
        #expect(!Self.reaches(query))
    }

    @Test("a search with several name parts does not look up a single part (every Mohammed)")
    func noSinglePartLookupWithPairs() {
        let keys = PersonMatchKeys.forQuery(PersonQuery(name: "Mohammed Hassan"))
        #expect(!keys.contains { $0.kind == .namePart })
        #expect(keys == [MatchKey(.namePair, "hsn|mhmd")])
    }

    @Test("dates of birth as searched: a day, a month, a year, a range; nonsense refused")
    func birthQueries() {
        #expect(BirthQuery("1990-05-07") == .date(CalendarDate("1990-05-07")!))
        #expect(BirthQuery("1990-05") == .yearMonth(year: 1990, month: 5))
        #expect(BirthQuery("1990") == .years(1990...1990))
        #expect(BirthQuery("1988..1992") == .years(1988...1992))
        for bad in ["1990-13", "1990-02-30", "90", "1992..1988", "1900..1950", "abcd", "", "1990-5"] {
            #expect(BirthQuery(bad) == nil, "\(bad)")
        }
    }
}
