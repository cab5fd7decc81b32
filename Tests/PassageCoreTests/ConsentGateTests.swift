import PassageCore
import Testing

/// The consent gate over every combination of consent answer, override text and role.
@Suite("Consent gate")
struct ConsentGateTests {
    static let overrides: [String?] = [nil, "", "  \n", "life at risk", "  life at risk\t"]

    /// What the gate must answer, case by case, as Docs/referrals.md states the rule.
    static func expected(consented: Bool, override: String?, role: Role) -> Result<ReferralConsent, ConsentRefusal> {
        switch (consented, override) {
        case (true, nil): return .success(.given)
        case (true, _?): return .failure(.overrideWithConsent)
        case (false, nil): return .failure(.consentRequired)
        case (false, let reason?):
            guard role == .supervisor else { return .failure(.notSupervisor) }
            let trimmed = reason == "life at risk" || reason == "  life at risk\t" ? "life at risk" : ""
            return trimmed.isEmpty ? .failure(.emptyReason) : .success(.overridden(supervisor: "sam", reason: trimmed))
        }
    }

    @Test("every combination of consent, override and role", arguments: [true, false], Role.allCases)
    func everyCombination(consented: Bool, role: Role) {
        for override in Self.overrides {
            let outcome = Result { () throws(ConsentRefusal) -> ReferralConsent in
                try ConsentGate.decide(consented: consented, override: override, by: "sam", role: role)
            }
            #expect(
                outcome == Self.expected(consented: consented, override: override, role: role),
                "consented \(consented), override \(String(describing: override)), \(role)")
        }
    }

    @Test("the refusals say what to do, in the console's words")
    func refusalTexts() {
        #expect(
            ConsentRefusal.consentRequired.description
                == "consent required: record the person's consent (consent=yes), or a supervisor may refer with override=\"reason\""
        )
        #expect(ConsentRefusal.notSupervisor.description == "only a supervisor may refer without consent")
        #expect(
            ConsentRefusal.overrideWithConsent.description
                == "only with consent=no: there is nothing to override when the person consented")
        #expect(ConsentRefusal.emptyReason.description == "must give the reason")
    }
}
