/// The languages the pages are shipped in, each with its message catalogue (Web/Messages/).
/// Chosen by `?lang=` (then remembered in the `passage_lang` cookie), else by the cookie, else
/// by the browser's `Accept-Language`, else English.
enum WebLanguage: String, CaseIterable, Sendable {
    case en, fr, ar

    static let cookieName = "passage_lang"

    /// The catalogue: every user-visible string of the pages, by key. English is the reference;
    /// WebMessagesTests fails when another language lacks a key or has one more.
    var catalogue: [String: String] {
        switch self {
        case .en: EnglishMessages.catalogue
        case .fr: FrenchMessages.catalogue
        case .ar: ArabicMessages.catalogue
        }
    }

    /// Writing direction for `<html dir>`.
    var direction: String { self == .ar ? "rtl" : "ltr" }

    /// The language's own name, for the switcher (each in its own language).
    var ownName: String {
        switch self {
        case .en: "English"
        case .fr: "Français"
        case .ar: "العربية"
        }
    }

    /// The first supported language of an `Accept-Language` header, by quality then order.
    static func preferred(acceptLanguage header: String?) -> WebLanguage? {
        guard let header else { return nil }
        var choices: [(language: WebLanguage, quality: Double, order: Int)] = []
        for (order, item) in header.split(separator: ",").enumerated() {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = parts.first, !tag.isEmpty else { continue }
            let primary = tag.split(separator: "-").first.map { String($0).lowercased() } ?? ""
            guard let language = WebLanguage(rawValue: primary) else { continue }
            var quality = 1.0
            for parameter in parts.dropFirst() where parameter.hasPrefix("q=") {
                quality = Double(parameter.dropFirst(2)) ?? 0
            }
            if quality > 0 { choices.append((language, quality, order)) }
        }
        return choices.sorted { ($0.quality, -$0.order) > ($1.quality, -$1.order) }.first?.language
    }
}

/// The strings of one language: `texts["key"]`, or with `{name}` placeholders filled in.
struct WebTexts: Sendable {
    let language: WebLanguage

    /// A key missing from every catalogue shows as `??key`, which the page tests look for.
    subscript(_ key: String) -> String {
        language.catalogue[key] ?? EnglishMessages.catalogue[key] ?? "??\(key)"
    }

    /// The string of `key` with each `{name}` replaced by its value.
    func format(_ key: String, _ values: [String: String]) -> String {
        var text = self[key]
        for (name, value) in values { text = text.replacingOccurrences(of: "{\(name)}", with: value) }
        return text
    }

    /// The string of `key`, or `fallback` when no catalogue has it: for data values that may
    /// be translated (a status, a reason code) and must still show when a new one appears.
    func optional(_ key: String, fallback: String) -> String {
        language.catalogue[key] ?? EnglishMessages.catalogue[key] ?? fallback
    }
}
