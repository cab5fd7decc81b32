import Postgres

/// When a GAPS rollup is worth refreshing. Below `smallestWorthARollup` needs the base tables
/// answer every GAPS question within the console's goal, and a refresh would cost an idle
/// server about 3 MiB of resident memory (the query and encoding code it pages in;
/// Docs/performance.md "Memory") for nothing. `passage serve` asks before each scheduled refresh,
/// so the rollup starts once the database grows past it.
public enum GapRollupWorth {
    public static let smallestWorthARollup = 1_000

    /// Whether the database holds at least `smallestWorthARollup` needs (counted no further).
    public static func worthARollup(on connection: PostgresConnection) throws -> Bool {
        let limit = Int64(smallestWorthARollup)
        let counted = try connection.query("SELECT count(*) FROM (SELECT 1 FROM needs LIMIT \(limit)) needs_counted")[0]
            .decode(Int64.self)
        return counted >= limit
    }
}
