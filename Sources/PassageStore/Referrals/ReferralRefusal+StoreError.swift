import PassageCore

extension StoreError {
    /// A referral the eligibility rules refuse, as the store's error (the argument at fault named).
    init(_ refusal: ReferralRefusal) {
        switch refusal.kind {
        case .notFound: self = .notFound(refusal.description)
        case .conflict: self = .conflict(refusal.description)
        case .badArgument(let argument): self = .invalid(argument: argument, message: refusal.description)
        }
    }
}
