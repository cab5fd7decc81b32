import Foundation
import PassageCore
import Postgres

/// The cells of a release in the database (table `release_cells`, Schema/0013): reads each
/// needed cell's state in this release, or makes it from its last state before (the
/// threshold-update rule, `ReleaseRule`) and stores it, in the caller's transaction.
public struct ReleaseCells {
    public var release: Date
    public var scope: String
    public var unit: String

    public init(release: Date, scope: String, unit: String) {
        self.release = release
        self.scope = scope
        self.unit = unit
    }

    /// The released value of every needed cell, keyed as `needed` is. `identity` names a cell
    /// across tables. Cells made here are stored; a cell another transaction made first (both
    /// asked at once) is read back, so everyone gets the one stored value.
    public func resolve<G: RandomNumberGenerator>(
        _ needed: [[String]: (count: Int, key: UInt32)], identity: ([String]) -> String,
        parameters: DisclosureParameters, policyNoise: GeometricNoise?,
        randomness: inout G, on connection: PostgresConnection
    ) throws -> [[String]: Int?] {
        guard !needed.isEmpty else { return [:] }
        let keys = Array(needed.keys)
        let names = keys.map(identity)
        // The latest state at or before this release, per cell.
        var latest: [String: (release: Date, state: ReleasedCell)] = [:]
        for row in try connection.query(
            """
            SELECT DISTINCT ON (cell) cell, release, base, value FROM release_cells
             WHERE scope = \(scope) AND unit = \(unit) AND cell = ANY(\(names)) AND release <= \(release)
             ORDER BY cell, release DESC
            """)
        {
            let (cell, cellRelease, base, value) = try row.decode((String, Date, Int, Int?).self)
            latest[cell] = (cellRelease, ReleasedCell(base: base, value: value))
        }
        let perturbation = CellKeyPerturbation(
            maximumNoise: parameters.maximumNoise, variance: parameters.noiseVariance)
        var values: [String: Int?] = [:]
        var made: [(cell: String, state: ReleasedCell)] = []
        for (key, name) in zip(keys, names) {
            if let found = latest[name], found.release == release {
                values.updateValue(found.state.value, forKey: name)
                continue
            }
            let cell = needed[key]!
            let state = ReleaseRule.next(
                count: cell.count, key: cell.key, previous: latest[name]?.state, parameters: parameters,
                perturbation: perturbation, policyNoise: policyNoise, randomness: &randomness)
            // A zero cell never published needs no row: no row reads as `ReleasedCell.never`.
            if state == .never && latest[name] == nil {
                values.updateValue(nil, forKey: name)
                continue
            }
            made.append((name, state))
            values.updateValue(state.value, forKey: name)
        }
        if !made.isEmpty {
            // In one order for everyone: two first requests inserting overlapping cells wait on
            // each other in the same order instead of deadlocking.
            made.sort { $0.cell < $1.cell }
            let inserted = try connection.query(
                """
                INSERT INTO release_cells (scope, unit, cell, release, base, value)
                SELECT \(scope), \(unit), m.cell, \(release), m.base, NULLIF(m.value, -1)
                  FROM unnest(\(made.map(\.cell)), \(made.map(\.state.base)), \(made.map { $0.state.value ?? -1 })) AS m(cell, base, value)
                ON CONFLICT DO NOTHING
                RETURNING cell
                """
            ).count
            if inserted < made.count {
                // Someone made some of these first: theirs stand.
                for row in try connection.query(
                    """
                    SELECT cell, value FROM release_cells
                     WHERE scope = \(scope) AND unit = \(unit) AND release = \(release) AND cell = ANY(\(made.map(\.cell)))
                    """)
                {
                    let (cell, value) = try row.decode((String, Int?).self)
                    values.updateValue(value, forKey: cell)
                }
            }
        }
        var result: [[String]: Int?] = [:]
        result.reserveCapacity(keys.count)
        for (key, name) in zip(keys, names) { result.updateValue(values[name] ?? nil, forKey: key) }
        return result
    }
}
