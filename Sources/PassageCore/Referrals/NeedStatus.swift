/// Where a protection need stands. A need is met or withdrawn by a caseworker, and reopened
/// when it turns out not to be; setting the status it already has is refused so that two
/// caseworkers closing the same need learn that one of them was first.
public enum NeedStatus: String, CaseIterable, Sendable {
    case open, met, withdrawn

    public static func change(from current: NeedStatus, to next: NeedStatus) throws(NeedStatusError) -> NeedStatus {
        guard current != next else { throw .unchanged(current) }
        return next
    }
}

public enum NeedStatusError: Error, Sendable, Equatable, CustomStringConvertible {
    case unchanged(NeedStatus)

    public var description: String {
        switch self {
        case .unchanged(let status): "the need is already \(status.rawValue)"
        }
    }
}

/// UNHCR specific-needs codes have the shape `XX` or `XX-YY`; which codes exist is data
/// (`need_codes`), but the shape is checked before asking the database.
public enum NeedCode {
    public static func isWellFormed(_ code: String) -> Bool {
        let parts = code.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count) else { return false }
        return parts.allSatisfy { $0.count == 2 && $0.allSatisfy { $0.isASCII && $0.isUppercase } }
    }

    /// The top-level code a sub-code belongs to (`SV-VA` → `SV`).
    public static func topLevel(_ code: String) -> String {
        String(code.prefix { $0 != "-" })
    }
}
