/// The four movement categories of the Report of the Workshop on Human Security (Mexico City
/// 2006, para. 49). Cases are declared in order of precedence, the order used for `primary`,
/// `categories`, `subcategories` and `basis`: protection urgency first (non-punishment of
/// trafficking victims, then non-refoulement of refugees).
public enum MovementCategory: String, CaseIterable, Sendable, Hashable, Comparable {
    case trafficked
    case refugeeAsylum = "refugee_asylum"
    case idp
    case migrantWorker = "migrant_worker"

    /// 0 for the most urgent.
    public var precedence: Int {
        switch self {
        case .trafficked: return 0
        case .refugeeAsylum: return 1
        case .idp: return 2
        case .migrantWorker: return 3
        }
    }

    public static func < (lhs: MovementCategory, rhs: MovementCategory) -> Bool {
        lhs.precedence < rhs.precedence
    }

    /// The `primary` id when no category applies.
    public static let unclassifiedID = "unclassified"
}

public enum TraffickedSubcategory: String, CaseIterable, Sendable, Hashable {
    case child, adult
}

public enum RefugeeAsylumSubcategory: String, CaseIterable, Sendable, Hashable {
    case refugee
    case asylumSeeker = "asylum_seeker"
}

public enum IDPSubcategory: String, CaseIterable, Sendable, Hashable {
    case conflict, disaster
    case foodInsecurity = "food_insecurity"
}

public enum MigrantWorkerSubcategory: String, CaseIterable, Sendable, Hashable {
    case skilled, unskilled, unspecified
}

/// A subcategory, which always belongs to exactly one category.
public enum Subcategory: Hashable, Sendable, CustomStringConvertible {
    case trafficked(TraffickedSubcategory)
    case refugeeAsylum(RefugeeAsylumSubcategory)
    case idp(IDPSubcategory)
    case migrantWorker(MigrantWorkerSubcategory)

    public var category: MovementCategory {
        switch self {
        case .trafficked: return .trafficked
        case .refugeeAsylum: return .refugeeAsylum
        case .idp: return .idp
        case .migrantWorker: return .migrantWorker
        }
    }

    /// The contract id (`adult`, `asylum_seeker`, …).
    public var id: String {
        switch self {
        case .trafficked(let value): return value.rawValue
        case .refugeeAsylum(let value): return value.rawValue
        case .idp(let value): return value.rawValue
        case .migrantWorker(let value): return value.rawValue
        }
    }

    public var description: String { "\(category.rawValue)/\(id)" }
}
