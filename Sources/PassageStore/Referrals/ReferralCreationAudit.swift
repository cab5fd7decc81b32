import PassageCore
import Postgres

/// The audit entries of a new referral: `referral.create`, and `referral.consent_override`
/// when a supervisor referred without consent.
struct ReferralCreationAudit {
    let actor: String
    let source: String
    let detail: String
    /// The `referral.consent_override` entry's detail (`overrideDetail`), nil without an override.
    let overrideReason: String?

    /// The override's reason is free text that may name the person or their circumstances: it
    /// stays on the referral (where both sides read it), and the audit entry references it.
    static func overrideDetail(_ reason: String) -> String {
        "reason recorded on the referral (\(reason.count) characters)"
    }

    /// Queues them for COMMIT, for the referral that the transaction's last statement, sent
    /// with the COMMIT, is about to insert. They run after it and name the referral by the id
    /// it drew from the sequence (the last drawn in the transaction, as nothing follows); if
    /// it made no row (a concurrent request with the same key won), no row has that id and
    /// they write nothing. Inside the insert statement they would take the chain's lock
    /// before the statement's foreign-key checks ran, and hold it through them. (`currval`
    /// in a sub-select: called in the WHERE clause itself, a volatile function is evaluated
    /// for every row, and the look-up becomes a scan of the whole table under the lock.)
    func appendForTheInsertThatFollows(on connection: PostgresConnection) throws {
        try connection.runAtCommit(
            """
            SELECT audit_append(\(actor), \(AuditAction.referralCreate.rawValue), 'referral:' || id, \(source), \(detail))
              FROM referrals WHERE id = (SELECT currval('referrals_id_seq'))
            """)
        if let overrideReason {
            try connection.runAtCommit(
                """
                SELECT audit_append(\(actor), \(AuditAction.referralConsentOverride.rawValue), 'referral:' || id, \(source), \(overrideReason))
                  FROM referrals WHERE id = (SELECT currval('referrals_id_seq'))
                """)
        }
    }
}
