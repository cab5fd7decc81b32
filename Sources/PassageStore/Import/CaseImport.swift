import Foundation
import PassageCore
import Postgres

/// Bulk import of case facts from a JSON Lines file through COPY.
///
/// Two passes over the file keep memory flat: the first validates every line (facts, duplicate
/// refs in the file, refs already in the organisation) and collects the bad ones; the second,
/// inside one transaction, streams the good lines into `cases` and their rule results into
/// `classifications`. A file with a bad line imports nothing unless `skipBad` is set, in which
/// case the bad lines are left out and written verbatim to `rejectsPath`.
public struct CaseImport: Sendable {
    public struct BadLine: Sendable, Equatable, CustomStringConvertible {
        public let line: Int
        public let ref: String?
        public let message: String
        public var description: String { "line \(line)\(ref.map { " (ref \($0))" } ?? ""): \(message)" }
    }

    public struct Report: Sendable {
        public var imported = 0
        public var badLines: [BadLine] = []
        public var importedByCategory: [String: Int] = [:]
        /// True when the file was refused as a whole because of bad lines.
        public var refused = false
    }

    public let classifier: Classifier
    public init(classifier: Classifier = Classifier()) { self.classifier = classifier }

    /// How many refs are checked against the database in one query.
    static let refBatchSize = 5_000

    public func run(path: String, organisation: Int64, caseworker: String, skipBad: Bool, rejectsPath: String?,
                    on connection: PostgresConnection) throws -> Report {
        let file = JSONLinesFile(path: path)
        var report = Report()
        var badLineNumbers = Set<Int>()
        try validate(file, organisation: organisation, on: connection) { bad in
            report.badLines.append(bad)
            badLineNumbers.insert(bad.line)
        }
        if !report.badLines.isEmpty && !skipBad {
            report.refused = true
            return report
        }
        if !badLineNumbers.isEmpty, let rejectsPath {
            try writeRejects(from: file, lines: badLineNumbers, to: rejectsPath)
        }
        try connection.transaction { connection in
            report.importedByCategory = try load(file, skipping: badLineNumbers, organisation: organisation,
                                                 caseworker: caseworker, on: connection)
        }
        report.imported = report.importedByCategory.values.reduce(0, +)
        return report
    }

    /// First pass: every problem a line can have, reported with its line number.
    private func validate(_ file: JSONLinesFile, organisation: Int64, on connection: PostgresConnection,
                          bad: (BadLine) -> Void) throws {
        var seenRefs: [String: Int] = [:]
        var pendingRefs: [(ref: String, line: Int)] = []
        func checkPendingAgainstDatabase() throws {
            guard !pendingRefs.isEmpty else { return }
            let refs = pendingRefs.map(\.ref)
            let existing = try connection.query("SELECT ref FROM cases WHERE organisation_id = \(organisation) AND ref = ANY(\(refs))")
            let taken = Set(try existing.map { try $0.decode(String.self, at: 0) })
            for pending in pendingRefs where taken.contains(pending.ref) {
                bad(BadLine(line: pending.line, ref: pending.ref, message: "ref: a case with this ref already exists in the organisation"))
            }
            pendingRefs.removeAll(keepingCapacity: true)
        }
        try file.forEachLine { number, bytes in
            let facts: CaseFacts
            do {
                facts = try CaseFacts.decode(utf8: bytes)
            } catch let error as CaseFactsError {
                bad(BadLine(line: number, ref: nil, message: error.message))
                return
            }
            if let first = seenRefs[facts.ref] {
                bad(BadLine(line: number, ref: facts.ref, message: "ref: repeats the ref of line \(first)"))
                return
            }
            seenRefs[facts.ref] = number
            pendingRefs.append((facts.ref, number))
            if pendingRefs.count == Self.refBatchSize { try checkPendingAgainstDatabase() }
        }
        try checkPendingAgainstDatabase()
    }

    /// Second pass: COPY the good lines. Case ids are taken from the sequence first, so each
    /// classification row can name its case without reading the cases back.
    private func load(_ file: JSONLinesFile, skipping badLines: Set<Int>, organisation: Int64, caseworker: String,
                      on connection: PostgresConnection) throws -> [String: Int] {
        var goodCount = 0
        try file.forEachLine { number, _ in if !badLines.contains(number) { goodCount += 1 } }
        guard goodCount > 0 else { return [:] }
        let ids = try connection.query("SELECT nextval('cases_id_seq') FROM generate_series(1, \(goodCount))")
            .map { try $0.decode(Int64.self, at: 0) }
        let historyPath = NSTemporaryDirectory() + "passage-import-\(UUID().uuidString).copy"
        guard FileManager.default.createFile(atPath: historyPath, contents: nil, attributes: [.posixPermissions: 0o600]),
              let history = FileHandle(forWritingAtPath: historyPath) else {
            throw StoreError.invalid("cannot create a temporary file in \(NSTemporaryDirectory())")
        }
        defer {
            try? history.close()
            try? FileManager.default.removeItem(atPath: historyPath)
        }
        var counts: [String: Int] = [:]
        let classifierVersion = Classifier.version
        try connection.copyIn("""
            COPY cases (id, organisation_id, ref, caseworker, facts, classification, primary_category, categories, review) FROM STDIN
            """) { writer in
            var caseRows = CopyTextRow()
            var historyRows = CopyTextRow()
            var next = 0
            try file.forEachLine { number, bytes in
                guard !badLines.contains(number) else { return }
                // Validated in the first pass; a file changed in between fails loudly here.
                let facts = try CaseFacts.decode(utf8: bytes)
                let result = classifier.classify(facts)
                let id = ids[next]
                next += 1
                counts[result.primaryID, default: 0] += 1
                caseRows.integer(id); caseRows.integer(organisation); caseRows.text(facts.ref); caseRows.text(caseworker)
                caseRows.text(facts.canonicalJSON); caseRows.text(result.resultJSON); caseRows.text(result.primaryID)
                caseRows.identifierArray(result.categories.map(\.rawValue)); caseRows.boolean(result.review)
                caseRows.endRow()
                historyRows.integer(id); historyRows.integer(1); historyRows.text("rule"); historyRows.text(classifierVersion); historyRows.text(result.primaryID)
                historyRows.text(result.resultJSON); historyRows.text(caseworker)
                historyRows.endRow()
                if caseRows.bytes.count >= 1 << 18 {
                    try writer.write(caseRows.bytes)
                    caseRows = CopyTextRow()
                    try history.write(contentsOf: historyRows.bytes)
                    historyRows = CopyTextRow()
                }
            }
            try writer.write(caseRows.bytes)
            try history.write(contentsOf: historyRows.bytes)
        }
        try history.close()
        guard let historyInput = FileHandle(forReadingAtPath: historyPath) else {
            throw StoreError.invalid("cannot reread the temporary file \(historyPath)")
        }
        defer { try? historyInput.close() }
        try connection.copyIn("""
            COPY classifications (case_id, case_version, source, classifier_version, primary_category, result, decided_by) FROM STDIN
            """) { writer in
            while let chunk = try historyInput.read(upToCount: 1 << 20), !chunk.isEmpty {
                try writer.write([UInt8](chunk))
            }
        }
        return counts
    }

    private func writeRejects(from file: JSONLinesFile, lines: Set<Int>, to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
              let output = FileHandle(forWritingAtPath: path) else {
            throw StoreError.invalid("cannot create the rejects file \(path)")
        }
        defer { try? output.close() }
        try file.forEachLine { number, bytes in
            guard lines.contains(number) else { return }
            try output.write(contentsOf: Data(buffer: bytes) + [UInt8(ascii: "\n")])
        }
    }
}
