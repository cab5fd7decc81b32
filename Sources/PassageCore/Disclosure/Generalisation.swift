/// How one quasi-identifier is coarsened, level by level, up to `*` (suppressed). Level 0 is the
/// value as stored (already no finer than an age band, a month, a first-level subdivision).
public enum Generalisation: String, Sendable, Equatable, CaseIterable {
    /// 0-4, 5-11, 12-17 → 0-17; 18-59, 60+ → 18+; then *.
    case ageBand
    /// A code with no useful grouping (sex, category, country): the value, then *.
    case valueOrSuppressed
    /// ISO 3166-2 `CO-ANT` → the country `CO` → *.
    case subdivision
    /// `2026-07` → `2026-Q3` → `2026` → *.
    case month

    public static let suppressed = "*"

    public var topLevel: Int {
        switch self {
        case .ageBand, .subdivision: 2
        case .valueOrSuppressed: 1
        case .month: 3
        }
    }

    /// The value at a level; at `topLevel` (or above) always `*`.
    public func generalise(_ value: String, level: Int) -> String {
        if level <= 0 { return value }
        if level >= topLevel { return Self.suppressed }
        switch self {
        case .ageBand:
            switch value {
            case "0-4", "5-11", "12-17": return "0-17"
            case "18-59", "60+": return "18+"
            default: return value
            }
        case .valueOrSuppressed:
            return Self.suppressed
        case .subdivision:
            if let dash = value.firstIndex(of: "-") { return String(value[..<dash]) }
            return value
        case .month:
            // Expect YYYY-MM; anything else is kept as is until suppressed.
            let parts = value.split(separator: "-")
            guard parts.count == 2, parts[0].count == 4, let month = Int(parts[1]), (1...12).contains(month) else {
                return value
            }
            return level == 1 ? "\(parts[0])-Q\((month - 1) / 3 + 1)" : String(parts[0])
        }
    }
}
