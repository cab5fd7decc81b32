/// The HXL hashtag row of `format=hxl` (Humanitarian Exchange Language 1.1): places as codes with
/// `+origin` for the country of nationality, first-level areas as `#adm1+code`, periods as
/// `#date+reported` (months; years `+year`; quarters, which HXL has no date form for, `#meta+quarter`), the count as `#affected` (people's cases) or `#affected+needs` /
/// `#affected+referrals`, with `+f`/`+m` and the age attributes (`+children`, `+adults`,
/// `+elderly`, `+age0_4` …) when a filter fixes them for the whole column.
public enum HXLTags {
    public static func tag(dimension: String) -> String {
        switch dimension {
        case "category": "#group+category+code"
        case "subcategory": "#group+subcategory+code"
        case "origin": "#country+code+origin"
        case "country": "#country+code"
        case "area": "#adm1+code"
        case "sex": "#group+sex"
        case "age_band": "#group+age"
        case "need": "#need+code"
        case "service": "#service+code"
        case "dimension": "#sector+human_security"
        case "referral_status": "#status+referral"
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
            case .cases: "#affected"
            case .needs: "#affected+needs"
            case .referrals: "#affected+referrals"
            }
        return ([base] + attributes).joined(separator: "+") + "+total"
    }

    /// HXL attributes for a fixed category, sex or age band (`+refugees`, `+f`, `+children`).
    public static func attribute(dimension: String, value: String) -> [String] {
        switch (dimension, value) {
        case ("category", "refugee_asylum"): ["refugees"]
        case ("category", "idp"): ["idps"]
        case ("category", "migrant_worker"): ["migrants"]
        case ("category", "trafficked"): ["trafficked"]
        case ("sex", "female"): ["f"]
        case ("sex", "male"): ["m"]
        case ("age_band", "0-4"): ["children", "age0_4"]
        case ("age_band", "5-11"): ["children", "age5_11"]
        case ("age_band", "12-17"): ["children", "age12_17"]
        case ("age_band", "18-59"): ["adults", "age18_59"]
        case ("age_band", "60+"): ["elderly", "age60"]
        default: []
        }
    }

    public static func row(dimensions: [String], unit: CountedUnit, attributes: [String] = []) -> [String] {
        dimensions.map(tag(dimension:)) + [countTag(unit: unit, attributes: attributes), "#meta+suppressed"]
    }
}
