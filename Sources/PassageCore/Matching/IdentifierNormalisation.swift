import Foundation

/// Phone and document numbers in the one form they are compared and indexed in.
public enum IdentifierNormalisation {
    /// The last nine digits of a phone number: what stays the same whether it is written with
    /// the country code (+963 944 123 456), a trunk zero (0944 123456) or neither. Arabic-Indic
    /// digits count as digits. Nil when fewer than six digits are left.
    public static func phone(_ text: String) -> String? {
        let digits = text.unicodeScalars.compactMap { scalar -> Character? in
            switch scalar.value {
            case 0x30...0x39: Character(scalar)
            case 0x0660...0x0669: Character(Unicode.Scalar(scalar.value - 0x0660 + 0x30)!)
            case 0x06F0...0x06F9: Character(Unicode.Scalar(scalar.value - 0x06F0 + 0x30)!)
            default: nil
            }
        }
        guard digits.count >= 6 else { return nil }
        return String(digits.suffix(9))
    }

    /// A document number's letters and digits, upper-case, without spaces, dashes or slashes
    /// (N 0123-456 = N0123456); letters of other scripts transliterated. Nil when empty.
    public static func document(_ text: String) -> String? {
        let latin = text.applyingTransform(.init(rawValue: "Any-Latin; Latin-ASCII"), reverse: false) ?? text
        let kept = latin.uppercased().unicodeScalars.filter { ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
        return kept.isEmpty ? nil : String(String.UnicodeScalarView(kept))
    }
}
