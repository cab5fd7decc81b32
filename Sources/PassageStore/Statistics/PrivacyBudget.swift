import Postgres

/// Each user's differential-privacy budget (table privacy_budgets): what dp= exports have spent
/// and the limit. Spent in the export's transaction, so a failed export spends nothing.
public enum PrivacyBudget {
    public static let defaultBudget = 10.0

    /// Adds `epsilon` to what `user` has spent and returns what is left; refuses (551) when it
    /// would pass the limit.
    static func spend(_ epsilon: Double, user: String, on connection: PostgresConnection) throws -> Double {
        try connection.execute("INSERT INTO privacy_budgets (user_name, budget) VALUES (\(user), \(defaultBudget)) ON CONFLICT DO NOTHING")
        let rows = try connection.query("""
            UPDATE privacy_budgets SET spent = spent + \(epsilon), updated_at = now()
             WHERE user_name = \(user) AND spent + \(epsilon) <= budget + 1e-9
            RETURNING budget - spent
            """)
        guard let row = rows.first else {
            let state = try connection.query("SELECT budget, spent FROM privacy_budgets WHERE user_name = \(user)")
            let budget = try state[0].decode(Double.self, at: 0), spent = try state[0].decode(Double.self, at: 1)
            throw StoreError.conflict("privacy budget exhausted: this export needs ε=\(epsilon), \(max(0, budget - spent)) of \(budget) is left")
        }
        return try row.decode(Double.self, at: 0)
    }

    /// What `user` has left (the default budget if they never spent any).
    public static func remaining(user: String, on connection: PostgresConnection) throws -> Double {
        let rows = try connection.query("SELECT budget - spent FROM privacy_budgets WHERE user_name = \(user)")
        return try rows.first.map { try $0.decode(Double.self, at: 0) } ?? defaultBudget
    }
}
