import Foundation
import PassageCore
import Postgres

/// Candidate duplicate pairs (Schema/0020, Docs/finding-persons.md "Candidate pairs" and
/// "Duplicates across organisations").
///
/// A pair row holds what both organisations may know (the organisations, each side's decision,
/// the status, the linked cases once both confirmed); each side's half (its person, its case, the
/// score) is a row of `duplicate_pair_sides` that row-level security shows to its organisation
/// only. Every query here also names the acting organisation and reads only its own halves, so
/// the work that must run outside a scope (recording a pair across organisations, deciding one)
/// cannot hand one side the other's half either.
public struct DuplicatePairStore: Sendable {
    public init() {}

    /// Records the candidates found for the person of case `caseID` of `organisation` (outside a
    /// scope: the other side's half is written too). A pair already recorded between the same two
    /// persons, whatever its status, is not recorded again; nor is a candidate that is the person
    /// itself or merged away. The ids of the new pairs.
    public func record(
        personID: Int64, caseID: Int64, organisation: Int64, candidates: [DuplicateCandidate],
        on connection: PostgresConnection
    ) throws -> [Int64] {
        var recorded: [Int64] = []
        for candidate in candidates where candidate.personID != personID {
            guard candidate.score.isFinite, candidate.score >= 0 else {
                throw StoreError.invalid(argument: "score", message: "a candidate's score must be a number ≥ 0")
            }
            let live = try connection.query(
                """
                SELECT 1 FROM persons p JOIN cases c ON c.person_id = p.id
                 WHERE p.id = \(candidate.personID) AND p.organisation_id = \(candidate.organisationID)
                   AND p.merged_into IS NULL AND c.id = \(candidate.caseID)
                """)
            guard live.first != nil else { continue }
            let known = try connection.query(
                """
                SELECT 1 FROM duplicate_pair_sides x
                  JOIN duplicate_pair_sides y ON y.pair_id = x.pair_id AND y.side <> x.side
                 WHERE x.person_id = \(personID) AND y.person_id = \(candidate.personID)
                """)
            guard known.first == nil else { continue }
            let pair = try connection.query(
                """
                INSERT INTO duplicate_pairs (organisation_a, organisation_b)
                VALUES (\(organisation), \(candidate.organisationID)) RETURNING id
                """
            )[0].decode(Int64.self)
            try connection.execute(
                """
                INSERT INTO duplicate_pair_sides (pair_id, side, organisation_id, person_id, case_id, score)
                VALUES (\(pair), 'a', \(organisation), \(personID), \(caseID), \(candidate.score)),
                       (\(pair), 'b', \(candidate.organisationID), \(candidate.personID), \(candidate.caseID), \(candidate.score))
                """)
            recorded.append(pair)
        }
        return recorded
    }

    static let columns = SQLFragment(
        """
        p.id, p.organisation_a, p.organisation_b, oa.name, ob.name, p.status, p.decision_a, p.decision_b,
        p.linked_case_a, p.linked_case_b, p.found_at, sa.case_id, sa.score, sb.case_id, sb.score
        """)

    /// The pairs an organisation is a party to are read with only its own halves joined (the
    /// `organisation_id` condition of both joins): a half of another organisation is never read,
    /// even outside a scope.
    static let pairs = SQLFragment(
        """
        FROM duplicate_pairs p
        JOIN organisations oa ON oa.id = p.organisation_a
        JOIN organisations ob ON ob.id = p.organisation_b
        """)

    /// The organisation's pairs, oldest first, optionally of one status.
    public func list(status: DuplicateStatus?, organisation: Int64, on connection: PostgresConnection) throws
        -> [DuplicatePairView]
    {
        let rows = try connection.query(
            """
            SELECT \(Self.columns) \(Self.pairs)
            LEFT JOIN duplicate_pair_sides sa ON sa.pair_id = p.id AND sa.side = 'a' AND sa.organisation_id = \(organisation)
            LEFT JOIN duplicate_pair_sides sb ON sb.pair_id = p.id AND sb.side = 'b' AND sb.organisation_id = \(organisation)
             WHERE \(organisation) IN (p.organisation_a, p.organisation_b)
               AND (\(status?.rawValue)::text IS NULL OR p.status = \(status?.rawValue))
             ORDER BY p.id
            """)
        return try rows.map { try Self.view($0, organisation: organisation) }
    }

    /// Pair `id` as `organisation` sees it.
    public func show(id: Int64, organisation: Int64, on connection: PostgresConnection) throws -> DuplicatePairView {
        guard
            let row = try connection.query(
                """
                SELECT \(Self.columns) \(Self.pairs)
                LEFT JOIN duplicate_pair_sides sa ON sa.pair_id = p.id AND sa.side = 'a' AND sa.organisation_id = \(organisation)
                LEFT JOIN duplicate_pair_sides sb ON sb.pair_id = p.id AND sb.side = 'b' AND sb.organisation_id = \(organisation)
                 WHERE \(organisation) IN (p.organisation_a, p.organisation_b) AND p.id = \(id)
                """
            ).first
        else { throw StoreError.notFound("pair \(id)") }
        return try Self.view(row, organisation: organisation)
    }

    /// `organisation`'s decision on pair `id`. Within an organisation one decision settles the
    /// pair. Across organisations a rejection by either side settles it as rejected; it is
    /// confirmed when both sides confirmed, and then links the two cases. Outside a scope (the
    /// link reads both halves); the checks are in the SQL.
    public func decide(
        id: Int64, _ decision: DuplicateDecision, by actor: String, organisation: Int64,
        on connection: PostgresConnection
    ) throws -> DuplicatePairView {
        guard
            let row = try connection.query(
                """
                SELECT organisation_a, organisation_b, status, decision_a, decision_b FROM duplicate_pairs
                 WHERE id = \(id) AND \(organisation) IN (organisation_a, organisation_b) FOR UPDATE
                """
            ).first
        else { throw StoreError.notFound("pair \(id)") }
        let (a, b, status, decisionA, decisionB) = try row.decode((Int64, Int64, String, String?, String?).self)
        guard status == DuplicateStatus.new.rawValue else {
            throw StoreError.conflict("pair \(id) is \(status) already")
        }
        let value = decision.rawValue
        if a == b {
            try connection.execute(
                """
                UPDATE duplicate_pairs SET decision_a = \(value), decision_b = \(value), status = \(value),
                       decided_at = now() WHERE id = \(id)
                """)
            try connection.execute(
                "UPDATE duplicate_pair_sides SET decided_by = \(actor), decided_at = now() WHERE pair_id = \(id)")
            return try show(id: id, organisation: organisation, on: connection)
        }
        let side = organisation == a ? "a" : "b"
        let own = organisation == a ? decisionA : decisionB
        let other = organisation == a ? decisionB : decisionA
        guard own == nil else {
            throw StoreError.conflict(
                "your organisation \(own ?? "") pair \(id) already; the other organisation has not decided yet")
        }
        let settled: String? =
            decision == .rejected
            ? DuplicateStatus.rejected.rawValue
            : other == DuplicateDecision.confirmed.rawValue ? DuplicateStatus.confirmed.rawValue : nil
        try connection.execute(
            """
            UPDATE duplicate_pairs
               SET decision_a = CASE WHEN \(side) = 'a' THEN \(value) ELSE decision_a END,
                   decision_b = CASE WHEN \(side) = 'b' THEN \(value) ELSE decision_b END,
                   status = coalesce(\(settled), status),
                   decided_at = CASE WHEN \(settled)::text IS NULL THEN NULL ELSE now() END
             WHERE id = \(id)
            """)
        try connection.execute(
            """
            UPDATE duplicate_pair_sides SET decided_by = \(actor), decided_at = now()
             WHERE pair_id = \(id) AND side = \(side) AND organisation_id = \(organisation)
            """)
        if settled == DuplicateStatus.confirmed.rawValue {
            // Both organisations said this is one person: the two cases are linked (each side then
            // knows the other's case id, to ask for a transfer or refer); no personal data is copied.
            try connection.execute(
                """
                UPDATE duplicate_pairs p
                   SET linked_case_a = (SELECT case_id FROM duplicate_pair_sides WHERE pair_id = p.id AND side = 'a'),
                       linked_case_b = (SELECT case_id FROM duplicate_pair_sides WHERE pair_id = p.id AND side = 'b')
                 WHERE p.id = \(id)
                """)
        }
        return try show(id: id, organisation: organisation, on: connection)
    }

    /// The organisation's duplicate counts for the data-quality report.
    public func rate(organisation: Int64, on connection: PostgresConnection) throws -> DuplicateRate {
        let registrations = try connection.query(
            "SELECT count(*) FROM persons WHERE organisation_id = \(organisation)"
        )[0].decode(Int.self)
        var within: [DuplicateStatus: Int] = [:]
        var across: [DuplicateStatus: Int] = [:]
        let rows = try connection.query(
            """
            SELECT organisation_a = organisation_b, status, count(*) FROM duplicate_pairs
             WHERE \(organisation) IN (organisation_a, organisation_b) GROUP BY 1, 2
            """)
        for row in rows {
            let (inside, status, count) = try row.decode((Bool, String, Int).self)
            guard let status = DuplicateStatus(rawValue: status) else { continue }
            if inside { within[status] = count } else { across[status] = count }
        }
        let merges = try connection.query(
            "SELECT count(*) FROM person_merges WHERE organisation_id = \(organisation) AND unmerged_at IS NULL"
        )[0].decode(Int.self)
        return DuplicateRate(registrations: registrations, within: within, across: across, merges: merges)
    }

    static func view(_ row: PostgresRow, organisation: Int64) throws -> DuplicatePairView {
        let (id, a, b, nameA, nameB, status, decisionA, decisionB, linkedA, linkedB, foundAt) = try row.decode(
            (Int64, Int64, Int64, String, String, String, String?, String?, Int64?, Int64?, Date).self, startingAt: 0)
        let (caseA, scoreA, caseB, scoreB) = try row.decode((Int64?, Double?, Int64?, Double?).self, startingAt: 11)
        let pairStatus = DuplicateStatus(rawValue: status) ?? .new
        if a == b {
            return DuplicatePairView(
                id: id, otherOrganisation: nil, ownCase: caseA ?? 0, secondCase: caseB, score: scoreA,
                status: pairStatus, ownDecision: decisionA.flatMap(DuplicateDecision.init(rawValue:)),
                otherDecision: nil, linkedCase: nil, foundAt: foundAt)
        }
        let ownIsA = organisation == a
        return DuplicatePairView(
            id: id, otherOrganisation: ownIsA ? nameB : nameA, ownCase: (ownIsA ? caseA : caseB) ?? 0, secondCase: nil,
            score: nil, status: pairStatus,
            ownDecision: (ownIsA ? decisionA : decisionB).flatMap(DuplicateDecision.init(rawValue:)),
            otherDecision: (ownIsA ? decisionB : decisionA).flatMap(DuplicateDecision.init(rawValue:)),
            linkedCase: ownIsA ? linkedB : linkedA, foundAt: foundAt)
    }
}
