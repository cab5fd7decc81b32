import Foundation

/// Names brought to one script and one spelling before they are compared or indexed: Arabic and
/// Cyrillic transliterated to Latin (ICU's transforms, through Foundation), lower-case ASCII
/// letters only, the Arabic article dropped and `Abd`/`Abdul`/`Abdel` joined to the name it
/// belongs to, so "عبد الرحمن", "Abdul Rahman" and "Abdelrahman" become one part.
public enum NameNormalisation {
    /// Parts that are not names on their own: the article and the filiation words.
    static let particles: Set<String> = ["al", "el", "ul", "ad", "ed", "bin", "ben", "ibn", "bint", "binti", "de"]
    /// Spellings of `abd` ("servant of"), which belongs to the part that follows it.
    static let servantOf: [String] = ["abdoul", "abdul", "abdel", "abdal", "abdol", "abdil", "abd"]

    /// `name` in lower-case Latin letters and single spaces.
    public static func latin(_ name: String) -> String {
        var text = arabicPrepared(name)
        if text.unicodeScalars.contains(where: { (0x0400...0x04FF).contains($0.value) }) {
            // BGN/PCGN (Mukhammed, Yusuf, Dzhamal, Shadi): the spelling people write in
            // documents, where the scholarly ISO 9 (Ûsuf, Džamal, Šadi) loses letters.
            text = text.applyingTransform(StringTransform(rawValue: "Russian-Latin/BGN"), reverse: false) ?? text
        }
        // ICU's transform costs a good part of a millisecond: ASCII needs none
        if !text.unicodeScalars.allSatisfy(\.isASCII) {
            text = text.applyingTransform(StringTransform(rawValue: "Any-Latin; Latin-ASCII"), reverse: false) ?? text
        }
        var letters = ""
        var lastWasSpace = true
        for scalar in text.lowercased().unicodeScalars {
            switch scalar {
            case "a"..."z":
                letters.unicodeScalars.append(scalar)
                lastWasSpace = false
            // apostrophes and the ayn/hamza signs are not letters of the name: Ma'moun = Mamoun
            case "'", "`", "\u{2019}", "\u{02BF}", "\u{02BE}", "\u{02BB}", "\u{02BC}": continue
            default:
                if !lastWasSpace { letters.append(" ") }
                lastWasSpace = true
            }
        }
        return letters.trimmingCharacters(in: .whitespaces)
    }

    /// The name parts of `name`: Latin, particles dropped, `abd` joined to its name.
    public static func parts(_ name: String) -> [String] {
        let words = latin(name).split(separator: " ").map(String.init).filter { !particles.contains($0) }
        var parts: [String] = []
        var index = 0
        while index < words.count {
            var word = words[index]
            if servantOf.contains(word), index + 1 < words.count {
                word = "abd" + words[index + 1]
                index += 1
            } else if let prefix = servantOf.first(where: { word.hasPrefix($0) && word.count > $0.count + 2 }) {
                word = "abd" + word.dropFirst(prefix.count)
            }
            // "abd al rahman", "abdalrahman": the article inside the compound goes too
            for article in ["abdal", "abdel", "abdul"] where word.hasPrefix(article) && word.count > article.count + 3 {
                word = "abd" + word.dropFirst(article.count)
            }
            parts.append(word)
            index += 1
        }
        return parts
    }

    /// Arabic letters whose usual transliteration ICU does not give: taa marbuta as the final
    /// `a` (Fatima, Hamza), the hamza seats as alif, alif maqsura as ya, the
    /// ayn as alif, the tatweel removed, and the article `ال` of each word dropped (it is written joined).
    static func arabicPrepared(_ name: String) -> String {
        guard name.unicodeScalars.contains(where: { (0x0600...0x06FF).contains($0.value) }) else { return name }
        let mapped = String(
            String.UnicodeScalarView(
                name.unicodeScalars.compactMap { scalar -> Unicode.Scalar? in
                    switch scalar {
                    case "\u{0629}": "\u{0627}"  // ة → ا: Fatima, Hamza, Amina
                    case "\u{0623}", "\u{0625}", "\u{0622}", "\u{0671}": "\u{0627}"  // أ إ آ ٱ → ا
                    case "\u{0649}", "\u{0626}": "\u{064A}"  // ى ئ → ي
                    case "\u{0624}": "\u{0648}"  // ؤ → و
                    // ayn: Latin spellings write it as a vowel (Omar عمر, Ali علي, Abbas عباس)
                    case "\u{0639}": "\u{0627}"
                    case "\u{0621}": nil  // a lone hamza
                    case "\u{0640}": nil  // tatweel
                    case "\u{064B}"..."\u{0652}": nil  // short vowels and shadda: rarely written
                    default: scalar
                    }
                }))
        return mapped.split(separator: " ").map { word in
            word.hasPrefix("\u{0627}\u{0644}") && word.count > 3 ? String(word.dropFirst(2)) : String(word)
        }.joined(separator: " ")
    }

    /// A part's spelling with the variants of one sound made one (`kh`/`h`, `ou`/`u`, `ph`/`f`,
    /// `dzh`/`dj`/`j`, …) and doubled letters single, vowels kept: what Jaro–Winkler compares.
    public static func folded(_ part: String) -> String {
        // one pass over the bytes (a search folds every part of every candidate)
        let bytes = Array(part.utf8)
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = 0
        next: while index < bytes.count {
            for (from, to) in foldedBytes where bytes[index...].starts(with: from) {
                for byte in to where byte != result.last { result.append(byte) }
                index += from.count
                continue next
            }
            if bytes[index] != result.last { result.append(bytes[index]) }
            index += 1
        }
        return String(decoding: result, as: UTF8.self)
    }

    static let foldedBytes: [([UInt8], [UInt8])] = spellingFolds.map { (Array($0.0.utf8), Array($0.1.utf8)) }

    static let spellingFolds: [(String, String)] = [
        ("dzh", "j"), ("dj", "j"), ("zh", "j"), ("kh", "h"), ("gh", "g"), ("ph", "f"), ("sch", "s"), ("sh", "s"),
        ("ch", "s"), ("th", "t"), ("dh", "d"), ("ck", "k"), ("q", "k"), ("ou", "u"), ("oo", "u"), ("ee", "i"),
        ("ey", "ei"), ("ay", "ai"), ("w", "u"), ("x", "ks"), ("c", "k"),
    ]
}
