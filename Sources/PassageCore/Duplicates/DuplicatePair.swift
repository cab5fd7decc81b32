import Foundation

/// Where a candidate duplicate pair stands: found (`new`), or decided for good.
public enum DuplicateStatus: String, Sendable, CaseIterable {
    case new, confirmed, rejected
}

/// A side's decision on a candidate pair.
public enum DuplicateDecision: String, Sendable, CaseIterable {
    case confirmed, rejected
}

/// A candidate pair as one organisation may see it.
///
/// Within the organisation both persons are its own: both cases and the score are shown. Across
/// organisations the organisation sees only its own half (its case, its score) and that the other
/// organisation may know the person: the other side's case only once both sides confirmed (the
/// link), never its person, identifiers or score (Docs/finding-persons.md, Docs/security.md).
public struct DuplicatePairView: Sendable, Equatable {
    public var id: Int64
    /// The other organisation's name for a pair across organisations; nil within one.
    public var otherOrganisation: String?
    /// The case of this organisation's person (for a pair within the organisation: of the first person).
    public var ownCase: Int64
    /// Within the organisation: the case of the second person.
    public var secondCase: Int64?
    /// This side's score (nil when the pair is across organisations: a score says how alike two
    /// records are, which is more than "a possible match").
    public var score: Double?
    public var status: DuplicateStatus
    public var ownDecision: DuplicateDecision?
    /// Across organisations: the other side's decision.
    public var otherDecision: DuplicateDecision?
    /// Across organisations, once both sides confirmed: the other side's case (linked for
    /// transfer and referrals).
    public var linkedCase: Int64?
    public var foundAt: Date

    public init(
        id: Int64, otherOrganisation: String?, ownCase: Int64, secondCase: Int64?, score: Double?,
        status: DuplicateStatus, ownDecision: DuplicateDecision?, otherDecision: DuplicateDecision?,
        linkedCase: Int64?, foundAt: Date
    ) {
        self.id = id
        self.otherOrganisation = otherOrganisation
        self.ownCase = ownCase
        self.secondCase = secondCase
        self.score = score
        self.status = status
        self.ownDecision = ownDecision
        self.otherDecision = otherDecision
        self.linkedCase = linkedCase
        self.foundAt = foundAt
    }

    public var acrossOrganisations: Bool { otherOrganisation != nil }
}

/// A probable match found for a newly registered person (by the matching of
/// Docs/finding-persons.md): the other person, by one of its cases, and the score.
public struct DuplicateCandidate: Sendable, Equatable {
    public var personID: Int64
    public var caseID: Int64
    public var organisationID: Int64
    public var score: Double

    public init(personID: Int64, caseID: Int64, organisationID: Int64, score: Double) {
        self.personID = personID
        self.caseID = caseID
        self.organisationID = organisationID
        self.score = score
    }
}

/// The data-quality report of an organisation's duplicates (`DUPLICATE RATE`).
public struct DuplicateRate: Sendable, Equatable {
    /// Person records the organisation registered (merged-away ones included: each was a registration).
    public var registrations: Int
    /// Candidate pairs within the organisation, by status.
    public var within: [DuplicateStatus: Int]
    /// Candidate pairs with other organisations, by status.
    public var across: [DuplicateStatus: Int]
    /// Merges in force.
    public var merges: Int

    public init(registrations: Int, within: [DuplicateStatus: Int], across: [DuplicateStatus: Int], merges: Int) {
        self.registrations = registrations
        self.within = within
        self.across = across
        self.merges = merges
    }

    /// Registrations found to be a second record of someone already registered: merges in force
    /// plus confirmed pairs within the organisation not merged yet, over all registrations
    /// (0 when there are none).
    public var duplicateRate: Double {
        registrations == 0 ? 0 : Double(confirmedDuplicates) / Double(registrations)
    }

    /// Merges in force, or confirmed pairs within the organisation, whichever is larger (a merge
    /// usually follows a confirmed pair, so the two are not added).
    public var confirmedDuplicates: Int { max(merges, within[.confirmed] ?? 0) }
}
