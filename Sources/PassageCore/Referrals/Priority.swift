/// How urgently a need must be served, and so how soon a referral for it must be answered
/// (the IASC inter-agency referral form's three priorities). The stored `priority` columns and
/// the `referral_priorities` rows hold these raw values.
public enum Priority: String, CaseIterable, Sendable, Hashable {
    case emergency, urgent, normal

    /// The response time Schema/0004 seeds `referral_priorities` with (24 h, 72 h, 14 days). A
    /// deployment may change the rows; deadlines are computed from the rows
    /// (`ReferralResponseTimes`), so this is the default, not the rule.
    public var defaultResponseSeconds: Int64 {
        switch self {
        case .emergency: 86_400
        case .urgent: 259_200
        case .normal: 1_209_600
        }
    }
}
