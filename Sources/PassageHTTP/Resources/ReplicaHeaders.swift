import HTTPTypes
import PassageCore

/// Where a STATS or GAPS answer was read when the server has a read pool (Docs/operations.md
/// "Read replicas and several hosts"), as response headers of every form (JSON, CSV, HXL, XLSX):
/// `Passage-Replica` holds the console's `replica …` info line without its first word
/// (`lag=0.4s`, `primary reason=standby-unreachable`), and `Passage-Replica-Lag` the lag in
/// seconds when the standby answered (`0.4`). Neither without a read pool.
enum ReplicaHeaders {
    static let replica = HTTPField.Name("Passage-Replica")!
    static let lag = HTTPField.Name("Passage-Replica-Lag")!

    static func fields(_ source: ReadSource?) -> [(HTTPField.Name, String)] {
        guard let source else { return [] }
        var fields = [(replica, String(source.infoLine.dropFirst("replica ".count)))]
        if let seconds = source.lagSeconds { fields.append((lag, seconds)) }
        return fields
    }
}
