import PassageCore
import Postgres

/// How STATS and `passage export` read a dimension from the stored counting columns.
extension StatisticsDimension {
    public static func parse(_ name: String) throws -> StatisticsDimension {
        guard let dimension = StatisticsDimension(rawValue: name.lowercased()) else {
            throw StoreError.invalid(
                argument: "by",
                message: "unknown dimension \(name); use \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return dimension
    }

    /// The grouping expression; `c` is the case, `n` the need (with `nc` its code), `r` the
    /// referral, and `t` stands for the counted row's time (filled in by the query builder).
    func expression(timeColumn: SQLFragment) -> [SQLFragment] {
        switch self {
        case .category: [SQLFragment("c.primary_category")]
        case .subcategory: [SQLFragment("coalesce(c.subcategory, 'none')")]
        case .origin: [SQLFragment("coalesce(c.origin_country, 'unknown')")]
        case .country: [SQLFragment("coalesce(c.current_country, 'unknown')")]
        case .area: [SQLFragment("coalesce(c.current_area, 'unknown')")]
        case .sex: [SQLFragment("coalesce(c.sex, 'unknown')")]
        case .ageBand: [SQLFragment("coalesce(c.age_band, 'unknown')")]
        case .need: [SQLFragment("n.code")]
        case .dimension: [SQLFragment("nc.dimension")]
        case .service: [SQLFragment("r.service")]
        case .referralStatus: [SQLFragment("r.status")]
        case .referralResponse: [Self.responseAsItStands]
        case .month: [SQLFragment("to_char("), timeColumn, SQLFragment(" AT TIME ZONE 'UTC', 'YYYY-MM')")]
        case .quarter: [SQLFragment("to_char("), timeColumn, SQLFragment(" AT TIME ZONE 'UTC', 'YYYY-\"Q\"Q')")]
        case .year: [SQLFragment("to_char("), timeColumn, SQLFragment(" AT TIME ZONE 'UTC', 'YYYY')")]
        }
    }

    /// `referral_response` as the referral stands (a release reads it as of its boundary,
    /// `AsOfBoundary`): the provider's answer — accepting or declining, whose times the
    /// transition writes in `accepted_at`, or `closed_at` of a declined referral — at or before
    /// `due_at` is `in_time`, after it `late`; no answer is `none`. Docs/referrals.md "Answered in time".
    static let responseAsItStands = SQLFragment(
        """
        (CASE WHEN coalesce(r.accepted_at, CASE WHEN r.status = 'declined' THEN r.closed_at END) IS NULL THEN 'none' \
        WHEN coalesce(r.accepted_at, CASE WHEN r.status = 'declined' THEN r.closed_at END) <= r.due_at THEN 'in_time' \
        ELSE 'late' END)
        """)

    /// The closed code list, or nil when the values are those that occur (countries, areas,
    /// subcategories; periods unless the window is bounded, see `StatisticsWindow`).
    func domain(codeLists: CodeLists) -> [String]? {
        switch self {
        case .category: MovementCategory.allCases.map(\.rawValue) + [MovementCategory.unclassifiedID]
        case .sex: ["female", "male", "other", "unknown"]
        case .ageBand: ["0-4", "5-11", "12-17", "18-59", "60+", "unknown"]
        case .need: codeLists.needCodes
        case .dimension: codeLists.dimensions
        case .service: codeLists.services
        case .referralStatus: ["pending", "accepted", "declined", "completed", "cancelled"]
        case .referralResponse: ["in_time", "late", "none"]
        case .subcategory, .origin, .country, .area, .month, .quarter, .year: nil
        }
    }
}

/// The code lists kept as data (Schema/0004), read once per export.
struct CodeLists {
    var needCodes: [String]
    var dimensions: [String]
    var services: [String]

    static func read(on connection: PostgresConnection) throws -> CodeLists {
        CodeLists(
            needCodes: try connection.query("SELECT code FROM need_codes ORDER BY code").map {
                try $0.decode(String.self)
            },
            dimensions: try connection.query("SELECT code FROM human_security_dimensions ORDER BY code").map {
                try $0.decode(String.self)
            },
            services: try connection.query("SELECT code FROM service_types ORDER BY code").map {
                try $0.decode(String.self)
            })
    }
}
