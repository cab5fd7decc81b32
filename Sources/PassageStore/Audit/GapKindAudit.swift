import PassageCore

extension GapKind {
    /// The audit entry a gaps table of this kind records.
    public var auditAction: AuditAction {
        switch self {
        case .unmet: .gapsUnmet
        case .overdue: .gapsOverdue
        case .coverage: .gapsCoverage
        case .outcomes: .gapsOutcomes
        }
    }
}
