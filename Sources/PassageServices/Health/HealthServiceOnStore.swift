import PassageStore
import Postgres

/// The health of the services over the store: one connection of the casework pool (what
/// commands run on) answers a round trip, and the database's applied migrations are exactly
/// `expectedSchema`, the versions this build carries (`StoreSetup.schema`). The whole check
/// answers within `timeout` even when the database does not: a probe must not wait out the
/// pool's acquire time or a connect timeout.
struct HealthServiceOnStore: HealthService {
    static let timeout: Duration = .seconds(2)

    let pool: PostgresPool
    let expectedSchema: [Int]
    var timeout: Duration = Self.timeout

    func check() async -> HealthReport {
        let outcome = await AnswerWithin.run(timeout) { [pool] in
            try await pool.withConnection { connection -> Result<[Int], any Error> in
                _ = try connection.query("SELECT 1")
                // The round trip worked: a failure from here on is the schema's, not the database's.
                return Result { try AppliedMigrations.versions(on: connection) }
            }
        }
        let database: HealthReport.Check
        let migrations: HealthReport.Check
        switch outcome {
        case nil:
            database = .init("database", ok: false, detail: "no answer within \(Self.seconds(timeout))")
            migrations = .init("migrations", ok: false, detail: "not checked")
        case .failure:
            database = .init("database", ok: false, detail: "unreachable")
            migrations = .init("migrations", ok: false, detail: "not checked")
        case .success(.failure):
            database = .init("database", ok: true)
            migrations = .init("migrations", ok: false, detail: "schema_migrations cannot be read")
        case .success(.success(let applied)):
            database = .init("database", ok: true)
            migrations = Self.compare(applied: applied, expected: expectedSchema)
        }
        return HealthReport([database, migrations])
    }

    static func compare(applied: [Int], expected: [Int]) -> HealthReport.Check {
        let carried = expected.max() ?? 0
        if applied == expected.sorted() { return .init("migrations", ok: true, detail: "schema \(carried)") }
        if applied.max() == carried {
            return .init("migrations", ok: false, detail: "the database's migrations differ from this build's")
        }
        return .init(
            "migrations", ok: false, detail: "database at schema \(applied.max() ?? 0), this build carries \(carried)")
    }

    private static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return attoseconds == 0 ? "\(seconds) s" : "\(Double(seconds) + Double(attoseconds) / 1e18) s"
    }
}
