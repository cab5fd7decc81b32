import PassageCore

/// The reason codes the referral forms offer, by the event that needs one. They are the rows
/// Schema/0004 seeds `referral_reasons` with (Primero's list); the store refuses any other code,
/// so this list only chooses what the select shows — a code added to the table later is still
/// accepted by the service, only not offered here. Labels come from the catalogue
/// (`reason.<kind>.<code>`).
enum ReferralReasonCodes {
    static let declined = ["no_capacity", "not_eligible", "other"]
    static let unsuccessful = [
        "client_refused", "lack_of_capacity", "no_longer_needed", "unable_to_contact_client",
        "unable_to_contact_provider", "other",
    ]
    static let cancelled = ["no_longer_needed", "consent_withdrawn", "referred_elsewhere", "entered_in_error", "other"]

    /// `<option>`s of `kind`'s codes, translated; `empty` adds a first "choose" option.
    static func options(_ kind: String, _ codes: [String], texts: WebTexts, empty: Bool = false) -> String {
        var html = empty ? "<option value=\"\">\(HTML.escape(texts["referrals.reason.none"]))</option>" : ""
        for code in codes {
            html +=
                "<option value=\"\(code)\">\(HTML.escape(texts.optional("reason.\(kind).\(code)", fallback: code)))</option>"
        }
        return html
    }

    /// A state as a person reads it: `declined (no capacity)`, `completed: successful`.
    static func stateText(_ state: ReferralState, texts: WebTexts) -> String {
        let status = texts.optional("status.\(state.status.rawValue)", fallback: state.status.rawValue)
        switch state {
        case .pending, .accepted: return status
        case .declined(let reason):
            return "\(status) (\(texts.optional("reason.declined.\(reason)", fallback: reason)))"
        case .cancelled(let reason):
            return "\(status) (\(texts.optional("reason.cancelled.\(reason)", fallback: reason)))"
        case .completed(.successful): return "\(status): \(texts["outcome.successful"])"
        case .completed(.unsuccessful(let reason)):
            return
                "\(status): \(texts["outcome.unsuccessful"]) (\(texts.optional("reason.unsuccessful.\(reason)", fallback: reason)))"
        }
    }
}
