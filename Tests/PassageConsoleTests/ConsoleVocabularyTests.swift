import PassageCore
import Testing

@testable import PassageConsole

/// The console's value lists are derived from the PassageCore and store types; these are the
/// lists of the console contract (shared/spec/console.md) as HELP shows them, so a case added,
/// renamed or reordered in a type is caught here before it changes the protocol.
@Suite struct ConsoleVocabularyTests {
    @Test("the derived lists are the contract's lists, in HELP's order")
    func derivedListsKeepTheContract() {
        #expect(ConsoleVocabulary.categories == ["migrant_worker", "refugee_asylum", "idp", "trafficked"])
        #expect(ConsoleVocabulary.priorities == ["emergency", "urgent", "normal"])
        #expect(
            ConsoleVocabulary.services == [
                "psychosocial", "child_care", "family_tracing", "womens_services", "disability",
                "legal_assistance", "safe_shelter", "core_relief_items", "cash", "health",
                "food_security", "shelter", "livelihoods_education", "other",
            ])
        #expect(ConsoleVocabulary.referralStatuses == ["accepted", "declined", "completed", "cancelled"])
        #expect(ConsoleVocabulary.needStatuses == ["met", "withdrawn", "open"])
        // The contract's dimensions in its order, plus one addition of Passage's own:
        // `referral_response` (answered in time, late, not; issue 25's referral-pathway report),
        // after `referral_status`. Everything the contract lists keeps its name.
        #expect(
            ConsoleVocabulary.dimensions == [
                "category", "subcategory", "origin", "country", "area", "sex", "age_band",
                "need", "service", "dimension", "referral_status", "referral_response",
                "month", "quarter", "year",
            ])
        #expect(ConsoleVocabulary.sexes == ["female", "male", "other", "unknown"])
        #expect(ConsoleVocabulary.countedUnits == ["cases", "needs", "referrals"])
        #expect(ConsoleVocabulary.gapKinds == ["unmet", "overdue", "coverage", "outcomes"])
    }

    @Test("a typed choice is declared from its type and delivered as a value of it")
    func typedChoice() throws {
        guard case .choice(let values) = ArgumentKind.choice(of: Priority.self) else {
            Issue.record("not a choice")
            return
        }
        #expect(values == ["emergency", "urgent", "normal"])
        let invocation = Invocation(command: "NEED ADD", arguments: ["priority": .text("urgent")])
        #expect(try invocation.choice(Priority.self, "priority") == .urgent)
        #expect(try invocation.optionalChoice(NeedStatus.self, "status") == nil)
        // A declaration listing a value the type lacks is a wiring fault, refused, not trapped.
        let miswired = Invocation(command: "NEED ADD", arguments: ["priority": .text("someday")])
        #expect(throws: ConsoleError.badArgument(argument: "priority", message: "someday is not a Priority value")) {
            try miswired.choice(Priority.self, "priority")
        }
    }
}
