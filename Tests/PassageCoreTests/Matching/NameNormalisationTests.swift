import PassageCore
import Testing

/// Names of one person written in Arabic, Latin and Cyrillic, and in the usual Latin variants,
/// reach the same phonetic key; different names do not.
@Suite("Name normalisation and phonetic keys")
struct NameNormalisationTests {
    static func keys(_ name: String) -> [String] { NameNormalisation.parts(name).map(NamePhonetics.key) }

    @Test(
        "one name in three scripts and its Latin spellings gives one key",
        arguments: [
            ["محمد", "Mohammed", "Muhammad", "Mohamed", "Мухаммед", "Мохаммед"],
            ["حسين", "Hussein", "Husain", "Husayn", "Хусейн"],
            ["يوسف", "Youssef", "Yusuf", "Yousef", "Юсуф"],
            ["خالد", "Khaled", "Khalid", "Халид"],
            ["جمال", "Jamal", "Gamal", "Djamal", "Джамал"],
            ["فاطمة", "Fatima", "Fatimah", "Fatma", "Фатима"],
            ["عبد الرحمن", "Abdul Rahman", "Abdelrahman", "Abd al-Rahman", "Abdulrahman"],
            ["الشمري", "Al-Shammari", "Shammari", "al Shammari"],
            ["حمزة", "Hamza", "Hamzah", "Хамза"],
            ["عمر", "Omar", "Umar"],
        ])
    func sameKey(_ spellings: [String]) {
        let expected = Self.keys(spellings[0])
        #expect(expected.count == 1)
        for spelling in spellings.dropFirst() { #expect(Self.keys(spelling) == expected, "\(spelling)") }
    }

    @Test("different names keep different keys")
    func differentKeys() {
        let names = ["Mohammed", "Ahmed", "Ali", "Hassan", "Omar", "Youssef", "Ibrahim", "Fatima", "Aisha", "Zainab"]
        let keys = names.map { Self.keys($0) }
        #expect(Set(keys).count == names.count)
    }

    @Test("Latin form: lower-case letters, apostrophes and marks gone, hyphens split")
    func latin() {
        #expect(NameNormalisation.latin("  Ma'moun  AL-Hāshimī ") == "mamoun al hashimi")
        #expect(NameNormalisation.latin("Müller-Çelik") == "muller celik")
        #expect(NameNormalisation.parts("Mohammed bin Salman Al Saud") == ["mohammed", "salman", "saud"])
    }

    @Test("folding makes spelling variants one and keeps vowels")
    func folding() {
        #expect(NameNormalisation.folded("youssef") == NameNormalisation.folded("yusef"))
        #expect(NameNormalisation.folded("khaled") == "haled")
        #expect(NameNormalisation.folded("mohammed") == "mohamed")
        #expect(NameNormalisation.folded("philip") == "filip")
    }

    @Test("Jaro–Winkler: equal 1, disjoint 0, the textbook values")
    func jaroWinkler() {
        #expect(JaroWinkler.similarity("martha", "martha") == 1)
        #expect(JaroWinkler.similarity("abc", "xyz") == 0)
        #expect(abs(JaroWinkler.similarity("martha", "marhta") - 0.9611) < 0.001)
        #expect(abs(JaroWinkler.similarity("dwayne", "duane") - 0.84) < 0.001)
        #expect(abs(JaroWinkler.similarity("dixon", "dicksonx") - 0.8133) < 0.001)
    }

    @Test("phones compare on their last nine digits, Arabic-Indic digits included")
    func phones() {
        #expect(IdentifierNormalisation.phone("+963 944 123 456") == "944123456")
        #expect(IdentifierNormalisation.phone("0944-123456") == "944123456")
        #expect(IdentifierNormalisation.phone("٠٩٤٤١٢٣٤٥٦") == "944123456")
        #expect(IdentifierNormalisation.phone("12-34") == nil)
    }

    @Test("documents compare without spaces, dashes and case")
    func documents() {
        #expect(IdentifierNormalisation.document("n 0123-456/7") == "N01234567")
        #expect(IdentifierNormalisation.document(" - ") == nil)
    }
}
