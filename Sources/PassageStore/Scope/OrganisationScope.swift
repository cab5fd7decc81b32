import Postgres

/// Enters an organisation's scope for the rest of the current transaction (migration 0004,
/// `passage_enter_scope`): the organisation is recorded for the row-level security policies
/// and the referral view, and the transaction continues as the role `passage_casework`, whose
/// rows those policies limit. The store's SQL names the organisation in every query as well;
/// this is the second wall, for a query that forgot to.
public enum OrganisationScope {
    /// Resolves the organisation called `name` and enters its scope, in one round trip.
    /// Must run inside a transaction (the scope ends with it).
    @discardableResult
    public static func enter(organisationNamed name: String, on connection: PostgresConnection) throws -> Int64 {
        let rows = try connection.query("SELECT passage_enter_scope(id) FROM organisations WHERE name = \(name)")
        guard let row = rows.first else { throw StoreError.notFound("organisation \(name)") }
        return try row.decode(Int64.self)
    }

    /// Enters the scope of organisation `id`, known already (the signed-in user's): sent with
    /// the transaction's next statement, so it costs no round trip of its own.
    public static func enter(organisation id: Int64, on connection: PostgresConnection) throws {
        try connection.runWithNext("SELECT passage_enter_scope(\(id))")
    }
}
