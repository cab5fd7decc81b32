/// Everything a caseworker sees of one case at once: the case, how its classification came to
/// be, its protection needs and the referrals made for them.
public struct CaseFile: Sendable, Equatable {
    public let record: CaseRecord
    /// Oldest first: by case version, the rule result of a version before the overrides made on it.
    public let history: [ClassificationEntry]
    public let needs: [NeedRecord]
    public let referrals: [ReferralView]
    /// Its closings and reopenings, oldest first (Docs/case-life.md); the last says whether it is closed.
    public let closures: [CaseClosure]

    public init(
        record: CaseRecord, history: [ClassificationEntry], needs: [NeedRecord], referrals: [ReferralView],
        closures: [CaseClosure] = []
    ) {
        self.record = record
        self.history = history
        self.needs = needs
        self.referrals = referrals
        self.closures = closures
    }
}
