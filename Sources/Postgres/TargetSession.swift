import CLibPQ
import Foundation

/// Which kind of server a connection must land on when its string names several hosts
/// (`host=a,b,c`, `postgresql://a:5432,b:5432/db`): libpq's `target_session_attrs`, tried host
/// by host in order. Passage's own database asks for `readWrite` (`defaulted(in:)`), so after
/// a failover a new connection finds the new primary among the hosts by itself.
public enum TargetSession: String, Sendable, CaseIterable {
    case any
    case readWrite = "read-write"
    case readOnly = "read-only"
    case primary
    case standby
    case preferStandby = "prefer-standby"

    /// The keyword libpq reads, and the environment variable that sets it for every program.
    static let keyword = "target_session_attrs"
    static let environmentVariable = "PGTARGETSESSIONATTRS"

    /// `conninfo` (keyword string, URL or bare database name) asking for this kind of server,
    /// unless the operator already chose one: in the string itself, or for every libpq program
    /// with `PGTARGETSESSIONATTRS` (in `environment`). Anything else in the string is kept as
    /// written. With one host, `read-write` refuses a standby at connect time ("session is
    /// read-only") rather than at the first write.
    /// - Throws: `PostgresError.connectionFailed(.invalidConnectionString, …)` when libpq cannot parse it.
    public func defaulted(
        in conninfo: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> String {
        try PostgresConnectionString.validate(conninfo)
        if !(environment[Self.environmentVariable] ?? "").isEmpty { return conninfo }
        let setting = "\(Self.keyword)=\(rawValue)"
        if conninfo.hasPrefix("postgresql://") || conninfo.hasPrefix("postgres://") {
            guard try Self.chosen(in: conninfo) == nil else { return conninfo }
            return conninfo + (conninfo.contains("?") ? "&" : "?") + setting
        }
        // A bare word is a database name (libpq's own reading of it).
        guard conninfo.contains("=") else {
            let quoted = conninfo.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(
                of: "'", with: "\\'")
            return "dbname='\(quoted)' \(setting)"
        }
        guard try Self.chosen(in: conninfo) == nil else { return conninfo }
        return conninfo + " " + setting
    }

    /// The `target_session_attrs` a connection string sets, or nil.
    static func chosen(in conninfo: String) throws -> String? {
        var errorPointer: UnsafeMutablePointer<CChar>?
        guard let parsed = PQconninfoParse(conninfo, &errorPointer) else {
            if let errorPointer { PQfreemem(errorPointer) }
            throw PostgresError.connectionFailed(kind: .invalidConnectionString, message: "libpq could not parse it")
        }
        defer { PQconninfoFree(parsed) }
        var option = parsed
        while let keyword = option.pointee.keyword {
            if String(cString: keyword) == Self.keyword, let value = option.pointee.val {
                return String(cString: value)
            }
            option += 1
        }
        return nil
    }
}
