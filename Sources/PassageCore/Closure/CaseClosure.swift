import Foundation

/// Why a case was closed: the codes of Schema/0019's `case_closure_reasons` (Docs/case-life.md).
public enum ClosureReason: String, CaseIterable, Sendable {
    case durableSolution = "durable_solution"
    case moved
    case deceased
    case noLongerInNeed = "no_longer_in_need"
    case duplicate
    case lostContact = "lost_contact"
}

/// One closing or reopening of a case, as its life history keeps it.
public struct CaseClosure: Sendable, Equatable {
    public enum Event: String, Sendable { case closed, reopened }
    public let caseID: Int64
    public let event: Event
    /// Why it was closed; nil for a reopening.
    public let reason: ClosureReason?
    /// The needs left open on purpose at closure; they are open again to work on once it reopens.
    public let carriedForward: [Int64]
    public let decidedBy: String
    public let decidedRole: String
    public let at: Date

    public init(
        caseID: Int64, event: Event, reason: ClosureReason?, carriedForward: [Int64], decidedBy: String,
        decidedRole: String, at: Date
    ) {
        self.caseID = caseID
        self.event = event
        self.reason = reason
        self.carriedForward = carriedForward
        self.decidedBy = decidedBy
        self.decidedRole = decidedRole
        self.at = at
    }
}

/// What still stands open on a case that is asked to close: closure is refused while a referral
/// is open, or a need is open and not explicitly carried forward.
public struct OpenCasework: Sendable, Equatable {
    public let needs: [Int64]
    public let referrals: [Int64]

    public init(needs: [Int64], referrals: [Int64]) {
        self.needs = needs
        self.referrals = referrals
    }

    /// Why the case cannot close, or nil if it can; `carryForward` lets open needs stay open.
    public func refusal(caseID: Int64, carryForward: Bool) -> String? {
        var open: [String] = []
        if !referrals.isEmpty {
            open.append("open referrals " + referrals.map(String.init).joined(separator: ","))
        }
        if !needs.isEmpty && !carryForward {
            open.append("open needs " + needs.map(String.init).joined(separator: ","))
        }
        guard !open.isEmpty else { return nil }
        let advice =
            referrals.isEmpty
            ? "resolve them (NEED SET) or close with carry-forward"
            : "resolve the referrals first (REFERRAL SET); needs may be carried forward"
        return "case \(caseID) has " + open.joined(separator: " and ") + ": " + advice
    }
}
