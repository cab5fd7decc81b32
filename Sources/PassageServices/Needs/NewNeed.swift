import PassageCore

/// A protection need to record on a case (`NEED ADD`).
public struct NewNeed: Sendable, Equatable {
    public var caseID: Int64
    /// UNHCR specific-needs code: `LP`, `SM`, `SV-VA` …
    public var code: String
    /// The priority a referral of this need takes by default.
    public var priority: Priority
    public var note: String?

    public init(caseID: Int64, code: String, priority: Priority = .normal, note: String? = nil) {
        self.caseID = caseID
        self.code = code
        self.priority = priority
        self.note = note
    }
}
