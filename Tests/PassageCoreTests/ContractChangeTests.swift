import Testing

@testable import PassageCore

/// `passage reclassify` tells an operator which change of the contract (Part B) moved each
/// stored case. These are the traces each change leaves, on cases whose version-1 categories
/// are known from the contract's own findings.
@Suite struct ContractChangeTests {
    let classifier = Classifier()

    func explain(_ json: String, wasIn oldCategories: [String]) throws -> [ContractChange] {
        let facts = try CaseFacts.decode(jsonLine: json)
        return ContractChange.explaining(oldCategories: oldCategories, new: classifier.classify(facts), facts: facts)
    }

    @Test("C2: Malians or Nigerians fleeing armed conflict into an OAU state, once unclassified")
    func oauConflict() throws {
        let line =
            #"{"ref":"a","nationality":"NG","current_country":"CM","left_home":true,"forced":true,"causes":["armed_conflict"]}"#
        #expect(try explain(line, wasIn: []) == [.oauConflict])
    }

    @Test("C2 is not named when a version-1 OAU cause was there already")
    func oauWithVersion1Cause() throws {
        let line =
            #"{"ref":"a","nationality":"NG","current_country":"CM","left_home":true,"forced":true,"causes":["armed_conflict","occupation"]}"#
        #expect(try explain(line, wasIn: ["refugee_asylum"]).isEmpty)
    }

    @Test("C7: displaced inside Western Sahara by foreign domination")
    func foreignDomination() throws {
        let line =
            #"{"ref":"a","nationality":"EH","current_country":"EH","left_home":true,"forced":true,"causes":["foreign_domination"]}"#
        #expect(try explain(line, wasIn: []) == [.foreignDominationForIDPs])
    }

    @Test("C8: an applicant of unknown nationality, once silently unclassified")
    func claimPresumesOutside() throws {
        let line = #"{"ref":"a","nationality":"unknown","current_country":"CY","asylum":"intends"}"#
        #expect(try explain(line, wasIn: []) == [.claimPresumesOutside])
    }

    @Test("C4: a student who works is no longer a migrant worker")
    func student() throws {
        let line =
            #"{"ref":"a","nationality":"KE","current_country":"DE","left_home":true,"forced":false,"causes":["study"],"employment":{"status":"engaged","skill_level":1,"authorized":true}}"#
        #expect(try explain(line, wasIn: ["migrant_worker"]) == [.icrmwArticle3])
    }

    @Test("C5: a frontier worker assessed at home")
    func frontierWorker() throws {
        let line =
            #"{"ref":"a","nationality":"FR","current_country":"FR","employment":{"status":"engaged","skill_level":2,"kind":"frontier"}}"#
        #expect(try explain(line, wasIn: []) == [.stateOfEmployment])
    }

    @Test("C1: a recognised refugee back home and displaced there is an IDP, no longer a refugee")
    func returnee() throws {
        let line =
            #"{"ref":"a","nationality":"SS","current_country":"SS","crossed_border":true,"left_home":true,"forced":true,"causes":["internal_conflict"],"asylum":"recognized"}"#
        #expect(try explain(line, wasIn: ["refugee_asylum"]) == [.places])
    }

    @Test("C1 also explains a move that leaves no note: a foreign resident displaced where they live")
    func foreignResident() throws {
        let line =
            #"{"ref":"a","nationality":"SY","habitual_residence":"LB","current_country":"LB","left_home":true,"forced":true,"causes":["human_made_disaster"]}"#
        #expect(try explain(line, wasIn: []) == [.places])
    }

    @Test("a case whose categories did not move and that carries no new trace is explained by nothing")
    func unchanged() throws {
        let line = #"{"ref":"a","nationality":"SY","current_country":"DE","asylum":"applied"}"#
        #expect(try explain(line, wasIn: ["refugee_asylum"]).isEmpty)
    }
}
