import ArgumentParser
import Foundation
import PassageServices

/// `--read-database-url`, `--read-max-lag` and `--read-lag-policy` of `passage serve` and
/// `passage export` (also in the configuration file and as PASSAGE_READ_DATABASE_URL,
/// PASSAGE_READ_MAX_LAG, PASSAGE_READ_LAG_POLICY): STATS, GAPS and exports count on a hot
/// standby. Docs/operations.md "Read replicas and several hosts".
struct ReadPoolOptions: ParsableArguments {
    @Option(
        name: .customLong("read-database-url"),
        help:
            "Hot standby STATS, GAPS and exports read from (several hosts allowed; target_session_attrs=prefer-standby unless the URL sets it)."
    )
    var readDatabaseURL: String?
    @Option(
        name: .customLong("read-max-lag"),
        help: "Seconds the standby may be behind the primary (replay lag) for an answer read there (default 30).")
    var readMaxLag: Double?
    @Option(
        name: .customLong("read-lag-policy"),
        help: "Standby too far behind or down: fallback (read from the primary, the default) or refuse (451).")
    var readLagPolicy: String?

    func validate() throws {
        _ = try readPool()
    }

    /// The read pool these options ask for; nil without --read-database-url.
    func readPool() throws -> ServiceHostOptions.ReadPool? {
        guard let url = readDatabaseURL else {
            if readMaxLag != nil { throw ValidationError("--read-max-lag applies to --read-database-url") }
            if readLagPolicy != nil { throw ValidationError("--read-lag-policy applies to --read-database-url") }
            return nil
        }
        guard !url.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ValidationError("--read-database-url must not be empty")
        }
        if let problem = ServiceHostOptions.ReadPool.problem(with: url) {
            throw ValidationError("--read-database-url: \(problem)")
        }
        let seconds = readMaxLag ?? Double(ReadReplica.defaultMaxLagSeconds)
        guard seconds.isFinite, (0...86_400).contains(seconds) else {
            throw ValidationError("--read-max-lag must be between 0 and 86400 seconds")
        }
        let policyName = readLagPolicy ?? ReadReplica.Policy.fallback.rawValue
        guard let policy = ReadReplica.Policy(rawValue: policyName) else {
            throw ValidationError("--read-lag-policy must be fallback or refuse, not \(policyName)")
        }
        return ServiceHostOptions.ReadPool(
            url: url, maxLag: .milliseconds(Int64((seconds * 1000).rounded())), policy: policy)
    }
}
