/// A phonetic key of one name part, made for names that travel between Arabic, Latin and
/// Cyrillic: the consonant skeleton of the folded spelling. Arabic script mostly writes no short
/// vowels, and Latin spellings of one Arabic name differ mostly in vowels (Mohammed, Muhammad,
/// Mokhammed, محمد all give `mhmd`), so the key keeps the first sound and the consonants.
/// Like Soundex it is coarse on purpose: it decides which records are compared (blocking),
/// not whether they match.
public enum NamePhonetics {
    /// The key of `part`, a `NameNormalisation.parts` element (lower-case a–z); "" for none.
    public static func key(_ part: String) -> String {
        let folded = NameNormalisation.folded(part).utf8
        guard let first = folded.first else { return "" }
        // sounds Latin spellings of Arabic names write either way: Gamal/Jamal, Zaid/Saeed are
        // not the same name, but close enough to be compared
        func sound(_ byte: UInt8) -> UInt8 {
            switch byte {
            case UInt8(ascii: "g"): UInt8(ascii: "j")
            case UInt8(ascii: "z"): UInt8(ascii: "s")
            case UInt8(ascii: "v"): UInt8(ascii: "u")
            case UInt8(ascii: "p"): UInt8(ascii: "b")
            default: byte
            }
        }
        let vowels: Set<UInt8> = Set("aeiouy".utf8)
        let start = sound(first)
        var key: [UInt8] = [vowels.contains(start) && start != UInt8(ascii: "y") ? UInt8(ascii: "a") : start]
        for byte in folded.dropFirst().map(sound) where !vowels.contains(byte) && byte != key.last {
            key.append(byte)
        }
        // a final h is a vowel's (Fatimah = Fatima, فاطمة)
        if key.count > 1, key.last == UInt8(ascii: "h") { key.removeLast() }
        return String(decoding: key, as: UTF8.self)
    }
}
