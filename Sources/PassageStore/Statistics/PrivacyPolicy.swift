import Foundation
import PassageCore
import Postgres

/// Differential privacy as an organisation's policy (issue 17): an administrator fixes ε per
/// table and a budget per release for a scope (`organisation:<id>`, or `all` for every
/// organisation's figures); every table first published in a release spends its ε from the
/// scope's budget for that release, whoever asks (all its analysts together; adding users adds
/// no budget). Re-asking a published table reads the release and spends nothing.
public struct PrivacyPolicy: Sendable, Equatable {
    public var epsilon: Double
    public var budget: Double

    public init(epsilon: Double, budget: Double) throws {
        guard epsilon.isFinite, (0.01...10).contains(epsilon) else {
            throw StoreError.invalid(
                argument: "epsilon", message: "epsilon must be between 0.01 and 10, got \(epsilon)")
        }
        guard budget.isFinite, budget >= epsilon, budget <= 1000 else {
            throw StoreError.invalid(
                argument: "budget",
                message: "budget must be at least epsilon (\(epsilon)) and at most 1000, got \(budget)")
        }
        self.epsilon = epsilon
        self.budget = budget
    }

    public static func scope(organisation: Int64?) -> String {
        organisation.map { "organisation:\($0)" } ?? "all"
    }

    /// The policy of `scope`, or nil (no DP noise).
    public static func current(scope: String, on connection: PostgresConnection) throws -> PrivacyPolicy? {
        guard
            let row = try connection.query("SELECT epsilon, budget FROM privacy_policies WHERE scope = \(scope)").first
        else { return nil }
        let (epsilon, budget) = try row.decode((Double, Double).self)
        return try PrivacyPolicy(epsilon: epsilon, budget: budget)
    }

    /// Sets (or with nil, removes) the policy of `scope`, audited as `privacy.policy`, atomically.
    public static func set(
        _ policy: PrivacyPolicy?, scope: String, actor: String, source: String, on connection: PostgresConnection
    ) throws {
        try connection.transaction { connection in
            if let policy {
                try connection.execute(
                    """
                    INSERT INTO privacy_policies (scope, epsilon, budget, set_by) VALUES (\(scope), \(policy.epsilon), \(policy.budget), \(actor))
                    ON CONFLICT (scope) DO UPDATE SET epsilon = EXCLUDED.epsilon, budget = EXCLUDED.budget, set_by = EXCLUDED.set_by, set_at = now()
                    """)
            } else {
                try connection.execute("DELETE FROM privacy_policies WHERE scope = \(scope)")
            }
            try AuditLog.append(
                actor: actor, action: .privacyPolicy, subject: scope, source: source,
                detail: policy.map { "epsilon=\($0.epsilon) budget_per_release=\($0.budget)" } ?? "removed",
                on: connection)
        }
    }

    /// How many tables a set of released cells amounts to for the budget: a counted row falls in
    /// one detail cell and in one cell of each margin or open dimension's value totals published
    /// beside it, so each of those levels (told apart by which dimensions are summed over) spends ε.
    public static func tables<S: Sequence>(_ cells: S) -> Int where S.Element == [String] {
        var levels = Set<[Bool]>()
        for cell in cells { levels.insert(cell.map { $0 == PublishedTable.total }) }
        return levels.count
    }

    /// Spends `epsilon` from `scope`'s budget for `release`; returns what is left, or refuses
    /// (551 "privacy budget exhausted") spending nothing.
    public func spend(_ epsilon: Double, scope: String, release: Date, on connection: PostgresConnection) throws
        -> Double
    {
        try connection.execute(
            "INSERT INTO privacy_spending (scope, release) VALUES (\(scope), \(release)) ON CONFLICT DO NOTHING")
        let rows = try connection.query(
            """
            UPDATE privacy_spending SET spent = spent + \(epsilon)
             WHERE scope = \(scope) AND release = \(release) AND spent + \(epsilon) <= \(budget) + 1e-9
            RETURNING \(budget) - spent
            """)
        guard let row = rows.first else {
            let spent = try connection.query(
                "SELECT spent FROM privacy_spending WHERE scope = \(scope) AND release = \(release)")[0].decode(
                    Double.self)
            throw StoreError.conflict(
                "privacy budget exhausted: a new table needs ε=\(epsilon), \(max(0, budget - spent)) of this release's \(budget) is left; tables already published in this release can still be read"
            )
        }
        return try row.decode(Double.self)
    }
}
