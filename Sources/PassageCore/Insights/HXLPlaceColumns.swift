/// The place columns HDX joins on, added to HXL outputs only (plain CSV keeps its contract's
/// columns): after a country column (`origin`, `country`, ISO 3166-1 alpha-2, `+v_iso2`) its
/// alpha-3 code as `<name>_iso3` (`#country+code+v_iso3`); after an `area` column (ISO 3166-2,
/// `+v_iso3166_2`) its OCHA P-code as `area_pcode` (`#adm1+code+v_pcode`) when the operator gave a
/// P-code mapping. A value with no code (a suppressed or unknown place) is an empty field.
public enum HXLPlaceColumns {
    struct Added {
        var name: String
        var tag: String
        var value: (String) -> String
    }

    /// Keyed by the column's vocabulary attribute (HXLTags gives it to place columns only).
    static func added(after name: String, tag: String, pcodes: PCodeMapping?) -> [Added] {
        let attributes = tag.split(separator: "+").dropFirst()
        if attributes.contains("v_iso2") {
            return [Added(name: name + "_iso3", tag: tag.replacingVocabulary("v_iso2", with: "v_iso3")) { CountryCodes.alpha3($0) ?? "" }]
        }
        if attributes.contains("v_iso3166_2"), let mapping = pcodes {
            return [Added(name: name + "_pcode", tag: tag.replacingVocabulary("v_iso3166_2", with: "v_pcode")) { mapping.pcode(area: $0) ?? "" }]
        }
        return []
    }

    /// The header, the hashtag row and the rows with the added columns after the ones they derive from.
    public static func table(names: [String], tags: [String], rows: [[String]], pcodes: PCodeMapping?) -> (
        names: [String], tags: [String], rows: [[String]]
    ) {
        let extras = zip(names, tags).map { added(after: $0, tag: $1, pcodes: pcodes) }
        func widen<T>(_ fields: [T], _ extra: (Int, Added) -> T) -> [T] {
            fields.indices.flatMap { index in [fields[index]] + (index < extras.count ? extras[index].map { extra(index, $0) } : []) }
        }
        return (
            widen(names) { $1.name }, widen(tags) { $1.tag },
            rows.map { row in widen(row) { index, column in column.value(row[index]) } }
        )
    }
}

extension String {
    /// `#country+code+v_iso2` → `#country+code+v_iso3` (the tag of a derived code column).
    fileprivate func replacingVocabulary(_ old: String, with new: String) -> String {
        split(separator: "+").map { $0 == old ? new : String($0) }.joined(separator: "+")
    }
}
