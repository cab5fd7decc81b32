import Foundation
import PassageCore
import Postgres

extension StatisticsStore {
    /// Anonymised microdata of cases: age band, sex, origin, current area, category and month,
    /// generalised and locally suppressed to k-anonymity (and l-diversity on the category) and
    /// to a global re-identification risk below 1 %.
    ///
    /// Read from the release (issue 17, `MicrodataRelease`): the first request of the period for
    /// this definition (k, l, window) and scope anonymises the rows recorded before the boundary,
    /// with their category as it stood then, and stores the file and its risk report (audited as
    /// `stats.release`); every later request of the period returns the stored rows unchanged.
    public func microdata(
        k: Int = MicrodataParameters.defaultK, lDiversity: Int? = nil, from: String? = nil, to: String? = nil,
        organisation: Int64?, actor: String, source: String,
        on connection: PostgresConnection
    ) throws -> MicrodataExport {
        let cutoff = releasePeriod.cutoff(at: now())
        // The release's windows only (issue 17): overlapping microdata windows would difference too.
        let window = try ReleasedWindow(from: from, to: to, cutoff: cutoff, period: releasePeriod).window
        let scope = PrivacyPolicy.scope(organisation: organisation)
        var definition = "microdata k=\(k)"
        if let lDiversity { definition += " l=\(lDiversity)" }
        definition += " window=\(window.description)"
        let outcome: Result<MicrodataExport, StoreError> = try connection.transaction { connection in
            var release = try MicrodataRelease.read(
                release: cutoff, scope: scope, definition: definition, on: connection)
            if release == nil {
                let made = try Self.anonymisedMicrodata(
                    k: k, lDiversity: lDiversity, window: window, asOf: cutoff,
                    organisation: organisation, on: connection)
                if try made.store(
                    release: cutoff, scope: scope, definition: definition, k: k, lDiversity: lDiversity,
                    madeBy: actor, on: connection)
                {
                    try AuditLog.append(
                        actor: actor, action: .statsRelease, subject: "stats:microdata", source: source,
                        detail: "release=\(Self.day(cutoff)) scope=\(scope) \(definition) \(made.auditDetail)",
                        on: connection)
                }
                // Read back, whoever made it: the first request gets exactly what later ones will.
                release = try MicrodataRelease.read(
                    release: cutoff, scope: scope, definition: definition, on: connection)
            }
            guard let release else {
                throw StoreError.conflict("the microdata release of \(Self.day(cutoff)) could not be read back")
            }
            try AuditLog.append(
                actor: actor, action: .statsMicrodata, subject: "stats:cases", source: source,
                detail:
                    "\(definition) scope=\(scope) release=\(Self.day(cutoff)) rows=\(release.microdata?.rows.count ?? 0)"
                    + (release.refusal == nil ? "" : " refused"),
                on: connection)
            guard let microdata = release.microdata else {
                return .failure(
                    .invalid(
                        argument: "microdata",
                        message:
                            "\(release.refusal ?? "microdata refused") (this release's decision, made \(Self.instant(release.madeAt)); it stands until the next release)"
                    ))
            }
            var protections = Self.storeProtections(
                releasePeriod: releasePeriod, cutoff: cutoff, organisation: organisation)
            protections.append(
                AppliedProtection(
                    name: "microdata_release",
                    parameters: [
                        ProtectionParameter("release", Self.day(cutoff)),
                        ProtectionParameter("made_at", Self.instant(release.madeAt)),
                        ProtectionParameter("records", "\(microdata.rows.count)"),
                        ProtectionParameter("frozen", "until_next_release"),
                    ]))
            return .success(
                MicrodataExport(
                    microdata: microdata, window: window.description, protections: protections + microdata.protections))
        }
        return try outcome.get()
    }

    /// `2026-12-01T09:00:00Z`.
    static func instant(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// Anonymises the cases recorded in `window` (before the boundary), their category as of
    /// `asOf`; a risk above the threshold comes back as a refusal to store, not as an error.
    static func anonymisedMicrodata(
        k: Int, lDiversity: Int?, window: StatisticsWindow, asOf: Date, organisation: Int64?,
        on connection: PostgresConnection
    ) throws -> MicrodataRelease {
        var sql = PostgresQuery.StringInterpolation(literalCapacity: 640, interpolationCount: 8)
        sql.appendLiteral(
            """
            SELECT coalesce(c.age_band, 'unknown'), coalesce(c.sex, 'unknown'), coalesce(c.origin_country, 'unknown'),
                   coalesce(c.current_area, 'unknown'), to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM'),
            """)
        _ = AsOfBoundary.append(.category, asOf: asOf, to: &sql)
        sql.appendLiteral(" FROM cases c WHERE c.created_at < ")
        sql.appendInterpolation(window.end)
        if let start = window.start {
            sql.appendLiteral(" AND c.created_at >= ")
            sql.appendInterpolation(start)
        }
        if let organisation {
            sql.appendLiteral(" AND c.organisation_id = ")
            sql.appendInterpolation(organisation)
        }
        let query = PostgresQuery(stringInterpolation: sql)
        let rows = try asStatisticsRole(scope: organisation, on: connection) { try connection.query(query) }
        var quasiIdentifiers = [
            QuasiIdentifier(name: "age_band", generalisation: .ageBand),
            QuasiIdentifier(name: "sex", generalisation: .valueOrSuppressed),
            QuasiIdentifier(name: "origin", generalisation: .valueOrSuppressed),
            QuasiIdentifier(name: "area", generalisation: .subdivision),
            QuasiIdentifier(name: "month", generalisation: .month),
        ]
        let diverse = lDiversity != nil
        if !diverse { quasiIdentifiers.append(QuasiIdentifier(name: "category", generalisation: .valueOrSuppressed)) }
        let records = try rows.map { row in
            let category = try row.decode(String.self, at: 5)
            var values = try (0..<5).map { try row.decode(String.self, at: $0) }
            if !diverse { values.append(category) }
            return MicrodataRecord(quasiIdentifiers: values, sensitive: diverse ? category : nil)
        }
        let parameters = MicrodataParameters(k: k, lDiversity: lDiversity)
        do {
            let anonymised = try MicrodataAnonymiser.anonymise(
                records, quasiIdentifiers: quasiIdentifiers,
                sensitiveColumn: diverse ? "category" : nil, parameters: parameters)
            return MicrodataRelease(microdata: anonymised, refusal: nil, madeAt: Date())
        } catch .invalidParameter(let message) where message.hasPrefix("microdata refused") {
            return MicrodataRelease(microdata: nil, refusal: message, madeAt: Date())
        } catch {
            // Bad parameters (k, l out of range) are the request's fault: refused, nothing stored.
            throw StoreError(error)
        }
    }
}
