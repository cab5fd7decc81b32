import PassageCore
import Testing

/// The audit actions' texts are stored in every entry and hashed into the chain: a renamed raw
/// value would split one action into two names across the log. This list is the stored
/// vocabulary; changing it is a migration of the audit log, not a refactoring.
@Suite("Audit actions")
struct AuditActionTests {
    @Test("every audit action keeps its stored text")
    func storedTexts() {
        #expect(
            AuditAction.allCases.map(\.rawValue) == [
                "case.create", "case.read", "case.update", "case.override", "case.list", "cases.reclassify",
                "case.close", "case.reopen",
                "person.update", "person.read", "person.search",
                "need.add", "need.list", "need.status", "needs.recode",
                "referral.create", "referral.consent_override", "referral.repeat", "referral.accepted",
                "referral.declined",
                "referral.completed", "referral.cancelled", "referral.list", "referral.read",
                "provider.add", "provider.attach", "provider.import", "provider.location.add",
                "provider.location.remove", "provider.phone.add", "provider.phone.remove", "provider.contact.add",
                "provider.contact.remove",
                "user.add", "user.passwd", "user.lock", "user.unlock", "user.role", "user.remove", "user.confirm",
                "user.demo_disabled", "user.sign_in", "user.sign_in_failed", "sign_in.throttled",
                "session.open", "session.close", "access.refused", "audit.person",
                "privacy.policy", "stats.release", "stats.export", "stats.microdata",
                "gaps.release", "gaps.unmet", "gaps.overdue", "gaps.coverage", "gaps.outcomes",
                "demo.load", "pii_key.rotated",
                "transfer.propose", "transfer.request", "transfer.accept", "transfer.decline", "transfer.cancel",
                "transfer.list",
                "person.merge", "person.unmerge", "duplicate.found", "duplicate.list", "duplicate.confirm",
                "duplicate.reject", "duplicate.rate",
                "person.erased", "organisation.retention",
            ])
    }

    @Test("a referral's move is audited under the status it moves to")
    func referralMoves() {
        let events: [ReferralEvent] = [
            .accept, .decline(reason: "capacity"), .complete(.successful), .cancel(reason: "moved"),
        ]
        for event in events {
            #expect(AuditAction.referralMoved(by: event).rawValue == "referral." + event.target.status.rawValue)
        }
    }
}
