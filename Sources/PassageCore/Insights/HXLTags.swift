/// The HXL hashtag row of `format=hxl` (Humanitarian Exchange Language 1.1), every hashtag from the
/// core dictionary (Tests/Python/hxl-core-dictionary.json checks it; the attributes Passage coins
/// are listed there and in Docs/anonymisation.md). Places as codes with their vocabulary: countries
/// ISO 3166-1 alpha-2 (`#country+code+v_iso2`, `+origin` for nationality; HXLPlaceColumns adds the
/// alpha-3 column HDX joins on), first-level areas ISO 3166-2 (`#adm1+code+v_iso3166_2`, P-codes
/// beside them when mapped); periods as `#date+reported` (months; years `+year`; quarters, which HXL
/// has no date form for, `#meta+quarter`). The count: people's cases `#affected+ind` (one case is
/// one person); needs `#indicator+num+needs` and referrals `#output+num+referrals`, not `#affected`,
/// which counts people (one person can have several needs and referrals). With `+f`/`+m`/`+i` and
/// the age attributes (`+children`, `+adolescents`, `+adults`, `+elderly`, `+age0_4` … `+age60plus`)
/// when a filter fixes them for the whole column.
///
/// Tag set version 2 (issue 25); version 1 counted everything under `#affected` — Docs/anonymisation.md.
public enum HXLTags {
    public static func tag(dimension: String) -> String {
        switch dimension {
        case "category": "#group+category+code"
        case "subcategory": "#group+subcategory+code"
        case "origin": "#country+code+origin+v_iso2"
        case "country": "#country+code+v_iso2"
        case "area": "#adm1+code+v_iso3166_2"
        case "sex": "#group+sex"
        case "age_band": "#group+age"
        case "need": "#need+code"
        case "service": "#service+code"
        case "dimension": "#sector+human_security"
        case "referral_status": "#status+referral"
        case "referral_response": "#status+referral+response"
        case "month": "#date+reported"
        case "quarter": "#meta+quarter"
        case "year": "#date+reported+year"
        default: "#meta+" + dimension.filter { $0.isLetter || $0.isNumber || $0 == "_" }.lowercased()
        }
    }

    /// The count column's tag: what is counted, plus attributes that hold for every row.
    public static func countTag(unit: CountedUnit, attributes: [String] = []) -> String {
        let base =
            switch unit {
            case .cases: "#affected+ind"
            case .needs: "#indicator+num+needs"
            case .referrals: "#output+num+referrals"
            }
        return ([base] + attributes).joined(separator: "+") + "+total"
    }

    /// HXL attributes for a fixed category, sex or age band (`+refugees`, `+f`, `+children`); age
    /// ranges as HXL writes them (`+age12_17`, the open band `+age60plus`).
    public static func attribute(dimension: String, value: String) -> [String] {
        switch (dimension, value) {
        case ("category", "refugee_asylum"): ["refugees"]
        case ("category", "idp"): ["idps"]
        case ("category", "migrant_worker"): ["migrants"]
        case ("category", "trafficked"): ["trafficked"]
        case ("sex", "female"): ["f"]
        case ("sex", "male"): ["m"]
        case ("sex", "other"): ["i"]
        case ("age_band", "0-4"): ["children", "age0_4"]
        case ("age_band", "5-11"): ["children", "age5_11"]
        case ("age_band", "12-17"): ["children", "adolescents", "age12_17"]
        case ("age_band", "18-59"): ["adults", "age18_59"]
        case ("age_band", "60+"): ["elderly", "age60plus"]
        default: []
        }
    }

    public static func row(dimensions: [String], unit: CountedUnit, attributes: [String] = []) -> [String] {
        dimensions.map(tag(dimension:)) + [countTag(unit: unit, attributes: attributes), "#meta+suppressed"]
    }
}
