import Foundation

/// A labelled set of record pairs to measure the matching on (Docs/finding-persons.md
/// "Evaluation"): half are two registrations of one person, varied as registrations vary —
/// another script (Arabic, Cyrillic) or Latin spelling, typing errors, name parts swapped or
/// missing, the date of birth swapped, guessed to the year, off by one or missing, phone and
/// documents written differently or missing; half are two different people, most of them hard:
/// namesakes (same given and family name), siblings (same father, family and often phone),
/// twins, and people drawn from the same (Zipf-weighted) names. Deterministic for a seed.
public struct EvaluationSet: Sendable {
    public struct Pair: Sendable {
        public let first: MatchablePerson
        public let second: MatchablePerson
        public let samePerson: Bool
        /// How the pair was made (`transliterated`, `namesake`, `sibling`, …), for the report.
        public let kind: String
    }

    public let pairs: [Pair]

    public init(pairs count: Int, seed: UInt64) {
        var random = SeededRandom(seed: seed)
        var pairs: [Pair] = []
        pairs.reserveCapacity(count)
        for index in 0..<count {
            let person = Person.draw(&random)
            if index % 2 == 0 {
                let (first, _) = person.registration(&random, varied: false)
                let (second, kind) = person.registration(&random, varied: true)
                pairs.append(Pair(first: first, second: second, samePerson: true, kind: kind))
            } else {
                let other: Person
                let kind: String
                switch random.unit() {
                case ..<0.35: (other, kind) = (person.namesake(&random), "namesake")
                case ..<0.65: (other, kind) = (person.sibling(&random, twin: false), "sibling")
                case ..<0.72: (other, kind) = (person.sibling(&random, twin: true), "twin")
                default: (other, kind) = (Person.draw(&random), "other")
                }
                let (first, _) = person.registration(&random, varied: false)
                let (second, _) = other.registration(&random, varied: random.unit() < 0.7)
                pairs.append(Pair(first: first, second: second, samePerson: false, kind: kind))
            }
        }
        self.pairs = pairs
    }

    /// One person as they are (canonical names: index into the tables).
    struct Person {
        var given: Int
        var father: Int
        var grandfather: Int?
        var family: Int
        var female: Bool
        var birth: CalendarDate
        var phone: String?
        var document: String?
        var nationality: String

        static func draw(_ random: inout SeededRandom) -> Person {
            let female = random.unit() < 0.5
            return Person(
                given: random.zipf(female ? EvaluationNames.female.count : EvaluationNames.male.count),
                father: random.zipf(EvaluationNames.male.count),
                grandfather: random.unit() < 0.6 ? random.zipf(EvaluationNames.male.count) : nil,
                family: random.zipf(EvaluationNames.family.count), female: female, birth: randomDate(&random),
                phone: random.unit() < 0.65 ? String(format: "9%08d", random.int(0..<100_000_000)) : nil,
                document: random.unit() < 0.5
                    ? String(format: "%@%07d", ["N", "P", "A", "RA"][random.int(0..<4)], random.int(0..<10_000_000))
                    : nil,
                nationality: EvaluationNames.nationalities[random.int(0..<EvaluationNames.nationalities.count)])
        }

        static func randomDate(_ random: inout SeededRandom, years: ClosedRange<Int> = 1950...2022) -> CalendarDate {
            CalendarDate(
                String(
                    format: "%04d-%02d-%02d", random.int(years.lowerBound..<years.upperBound + 1), random.int(1..<13),
                    random.int(1..<29)))!
        }

        /// Same given and family name, otherwise someone else.
        func namesake(_ random: inout SeededRandom) -> Person {
            var other = Person.draw(&random)
            other.given = given
            other.female = female
            other.family = family
            if random.unit() < 0.25 { other.father = father }  // namesakes by family custom
            if random.unit() < 0.2 { other.birth = Person.randomDate(&random, years: birth.year...birth.year) }
            return other
        }

        /// Same father, grandfather, family, nationality and often household phone; another
        /// given name, born some years apart (a twin: the same day).
        func sibling(_ random: inout SeededRandom, twin: Bool) -> Person {
            var other = self
            other.female = random.unit() < 0.5
            let pool = other.female ? EvaluationNames.female.count : EvaluationNames.male.count
            repeat { other.given = random.zipf(pool) } while other.given == given && other.female == female
            if !twin {
                let year = min(2022, max(1950, birth.year + [-9, -6, -4, -3, -2, 2, 3, 4, 6, 9][random.int(0..<10)]))
                other.birth = Person.randomDate(&random, years: year...year)
            }
            if random.unit() < 0.5 {
                other.phone = random.unit() < 0.65 ? String(format: "9%08d", random.int(0..<100_000_000)) : nil
            }
            other.document = random.unit() < 0.5 ? String(format: "N%07d", random.int(0..<10_000_000)) : nil
            return other
        }

        /// A registration of this person; `varied`: as another agency or caseworker recorded them.
        func registration(_ random: inout SeededRandom, varied: Bool) -> (MatchablePerson, String) {
            var kinds: [String] = []
            let script: Script
            if varied {
                switch random.unit() {
                case ..<0.2: script = .arabic
                case ..<0.32: script = .cyrillic
                case ..<0.8: script = .latin(variant: true)
                default: script = .latin(variant: false)
                }
            } else {
                script = random.unit() < 0.15 ? .arabic : .latin(variant: random.unit() < 0.3)
            }
            if case .arabic = script, varied { kinds.append("arabic") }
            if case .cyrillic = script { kinds.append("cyrillic") }
            let givenTable = female ? EvaluationNames.female : EvaluationNames.male
            var parts = [
                Self.spell(givenTable[given], script, &random),
                Self.spell(EvaluationNames.male[father], script, &random),
            ]
            if let grandfather, !(varied && random.unit() < 0.4) {
                parts.append(Self.spell(EvaluationNames.male[grandfather], script, &random))
            }
            parts.append(Self.spell(EvaluationNames.family[family], script, &random))
            if varied {
                if random.unit() < 0.25 {
                    parts.remove(at: 1)  // the father's name left out
                    kinds.append("part missing")
                }
                if random.unit() < 0.2 {
                    parts.insert(parts.removeLast(), at: 0)  // family name first
                    kinds.append("order")
                }
                if random.unit() < 0.2 {
                    let index = random.int(0..<parts.count)
                    parts[index] = Self.typo(parts[index], &random)
                    kinds.append("typo")
                }
            }
            var dateOfBirth: String? = birth.description
            if varied {
                switch random.unit() {
                case ..<0.12 where birth.day <= 12 && birth.day != birth.month:
                    dateOfBirth = String(format: "%04d-%02d-%02d", birth.year, birth.day, birth.month)
                    kinds.append("day/month swapped")
                case ..<0.27:
                    dateOfBirth = String(format: "%04d-01-01", birth.year)  // only the year known
                    kinds.append("year only")
                case ..<0.33:
                    dateOfBirth = String(
                        format: "%04d-%02d-%02d", birth.year + (random.unit() < 0.5 ? 1 : -1), birth.month, birth.day)
                    kinds.append("year off")
                case ..<0.48:
                    dateOfBirth = nil
                    kinds.append("no date")
                default: break
                }
            }
            var phone = self.phone
            if varied, let number = phone {
                switch random.unit() {
                case ..<0.35: phone = nil
                case ..<0.45: phone = String(format: "9%08d", random.int(0..<100_000_000))  // a new number
                case ..<0.7: phone = "+963 " + number
                default: phone = "0" + number
                }
            }
            var documents = document.map { [$0] } ?? []
            if varied, let number = document {
                switch random.unit() {
                case ..<0.45: documents = []
                case ..<0.6: documents = [String(number.prefix(2)) + " " + String(number.dropFirst(2))]
                case ..<0.68: documents = [Self.typo(number, &random).uppercased()]
                default: break
                }
            }
            let person = MatchablePerson(
                names: [parts.joined(separator: " ")], dateOfBirth: dateOfBirth, phone: phone, documents: documents,
                sex: female ? "female" : "male", nationality: nationality)
            return (person, kinds.isEmpty ? "spelling" : kinds.joined(separator: "+"))
        }

        enum Script {
            case latin(variant: Bool)
            case arabic
            case cyrillic
        }

        static func spell(_ name: EvaluationNames.Name, _ script: Script, _ random: inout SeededRandom) -> String {
            switch script {
            case .arabic: return name.arabic
            case .latin(let variant):
                return variant ? name.latin[random.int(0..<name.latin.count)] : name.latin[0]
            case .cyrillic:
                return cyrillic(name.latin[0])
            }
        }

        /// How a Russian-speaking registrar writes a Latin name down (Мохаммед, Хуссеин, Джамал).
        static func cyrillic(_ latin: String) -> String {
            var text = latin.lowercased().replacingOccurrences(of: "al-", with: "")
            for (from, to) in cyrillicLetters { text = text.replacingOccurrences(of: from, with: to) }
            return text.split(separator: " ").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
        }

        static let cyrillicLetters: [(String, String)] = [
            ("kh", "х"), ("sh", "ш"), ("ch", "ч"), ("zh", "ж"), ("you", "ю"), ("yu", "ю"), ("ya", "я"), ("ou", "у"),
            ("oo", "у"), ("ee", "и"), ("j", "дж"), ("a", "а"), ("b", "б"), ("d", "д"), ("e", "е"), ("f", "ф"),
            ("g", "г"), ("h", "х"), ("i", "и"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"),
            ("q", "к"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("v", "в"), ("w", "в"), ("y", "й"), ("z", "з"),
        ]

        /// One typing error: a letter replaced by a neighbour on the keyboard, dropped, doubled or
        /// swapped with the next.
        static func typo(_ word: String, _ random: inout SeededRandom) -> String {
            var letters = Array(word)
            guard letters.count >= 3 else { return word }
            let at = random.int(1..<letters.count - 1)
            switch random.int(0..<4) {
            case 0:
                let neighbours: [Character: Character] = [
                    "a": "s", "e": "r", "i": "o", "o": "i", "u": "y", "s": "a", "m": "n", "n": "m", "r": "t", "d": "f",
                    "h": "j", "l": "k", "t": "r", "b": "v", "k": "l", "f": "d", "y": "u",
                ]
                letters[at] = neighbours[letters[at]] ?? letters[at]
            case 1: letters.remove(at: at)
            case 2: letters.insert(letters[at], at: at)
            default: letters.swapAt(at, at + 1)
            }
            return String(letters)
        }
    }
}

/// SplitMix64: a small seeded generator, so an evaluation set is the same on every machine.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func int(_ range: Range<Int>) -> Int { Int.random(in: range, using: &self) }
    /// An index below `count`, the first ones likeliest (Zipf, exponent 1).
    mutating func zipf(_ count: Int) -> Int {
        let harmonic = (1...count).reduce(0.0) { $0 + 1 / Double($1) }
        var target = unit() * harmonic
        for index in 0..<count {
            target -= 1 / Double(index + 1)
            if target <= 0 { return index }
        }
        return count - 1
    }
}
