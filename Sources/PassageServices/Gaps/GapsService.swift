import PassageCore

/// The use cases of this area, as every interface sees them (see ApplicationServices).
public protocol GapsService: Sendable {
    /// GAPS (Docs/gaps.md): where protection is failing, in aggregate only. Analysts count their
    /// organisation's rows, policy staff every organisation's; no other role may ask. The answer
    /// is the current release's (made by the first request of the period, then read), published
    /// through the disclosure control; every request is audited (`gaps.<kind>`), and one heavy
    /// query per user runs at once (`busy` beyond, shared with STATS).
    func gaps(_ question: GapQuestion, by actor: Actor) async throws(ServiceError) -> GapsAnswer
}
