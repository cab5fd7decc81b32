import Foundation
import PassageCore
import Postgres

/// Bulk import of case facts from a JSON Lines file through COPY.
///
/// Two passes over the file keep memory flat (but for the set of refs seen): the first
/// validates every line (facts, duplicate refs in the file, refs already in the organisation)
/// and collects the bad ones; the second, inside one transaction, streams the good lines with
/// their rule results into `cases` through one COPY. A file with a bad line imports nothing unless `skipBad` is set, in which
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
        /// How long the validating pass and the loading pass (COPY and commit) took.
        public var validating: Duration = .zero
        public var loading: Duration = .zero
    }

    public let classifier: Classifier
    public init(classifier: Classifier = Classifier()) { self.classifier = classifier }

    /// Bytes of rows per COPY message. The server reads a whole CopyData message before it
    /// parses any row of it, so small messages let it work while the next rows are made
    /// (psql sends one per line). Measured on 1,000,000 cases: 24 s with 16 KiB, 32–47 s with 256 KiB.
    static let copyMessageSize = 16_384

    /// How many refs are checked against the database in one query.
    static let refBatchSize = 5_000

    public func run(
        path: String, organisation: Int64, caseworker: String, skipBad: Bool, rejectsPath: String?,
        on connection: PostgresConnection
    ) throws -> Report {
        let file = JSONLinesFile(path: path)
        var report = Report()
        var knownBad = Set<Int>()
        let clock = ContinuousClock()
        // Refs may clash with cases already stored only when the organisation has some: then
        // every ref is checked in a first pass, before anything is written. A first bulk load
        // (the common case) validates while it streams, in one pass.
        if try !connection.query("SELECT 1 FROM cases WHERE organisation_id = \(organisation) LIMIT 1").isEmpty {
            report.validating = try clock.measure {
                try validate(file, organisation: organisation, on: connection) { bad in
                    report.badLines.append(bad)
                    knownBad.insert(bad.line)
                }
            }
            if !report.badLines.isEmpty && !skipBad {
                report.refused = true
                return report
            }
        }
        let rejects = skipBad ? RejectsFile(path: rejectsPath) : nil
        defer { rejects?.close() }
        var refused = false
        report.loading = try clock.measure {
            do {
                try connection.transaction { connection in
                    report.importedByCategory = try load(
                        file, knownBad: knownBad, organisation: organisation, caseworker: caseworker, on: connection,
                        keepWriting: { !refused },
                        rejected: { bytes in try rejects?.write(bytes) },
                        bad: { badLine, bytes in
                            report.badLines.append(badLine)
                            if let rejects { try rejects.write(bytes) } else { refused = true }
                        })
                    // A bad line without --skip-bad: the COPY so far is rolled back, nothing is kept.
                    if refused { throw ImportRefused() }
                }
            } catch is ImportRefused {
                report.importedByCategory = [:]
                report.refused = true
            }
        }
        report.badLines.sort { $0.line < $1.line }
        report.imported = report.importedByCategory.values.reduce(0, +)
        return report
    }

    private struct ImportRefused: Error {}

    /// First pass: every problem a line can have, reported with its line number.
    private func validate(
        _ file: JSONLinesFile, organisation: Int64, on connection: PostgresConnection,
        bad: (BadLine) -> Void
    ) throws {
        var seenRefs: [String: Int] = [:]
        var pendingRefs: [(ref: String, line: Int)] = []
        func checkPendingAgainstDatabase() throws {
            guard !pendingRefs.isEmpty else { return }
            let refs = pendingRefs.map(\.ref)
            let existing = try connection.query(
                "SELECT ref FROM cases WHERE organisation_id = \(organisation) AND ref = ANY(\(refs))")
            let taken = Set(try existing.map { try $0.decode(String.self) })
            for pending in pendingRefs where taken.contains(pending.ref) {
                bad(
                    BadLine(
                        line: pending.line, ref: pending.ref,
                        message: "ref: a case with this ref already exists in the organisation"))
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

    /// COPY the good lines, each with its rule result, in one stream. Lines found bad by a first
    /// pass (`knownBad`) are handed to `rejected`; lines that fail here (facts, a ref repeated in
    /// the file) to `bad`, and once `keepWriting` turns false the rest is only checked. The
    /// case ids come from the table's sequence; the unique (organisation, ref) index still
    /// guards against a case created by someone else meanwhile, failing the whole import.
    private func load(
        _ file: JSONLinesFile, knownBad: Set<Int>, organisation: Int64, caseworker: String,
        on connection: PostgresConnection, keepWriting: () -> Bool,
        rejected: (UnsafeBufferPointer<UInt8>) throws -> Void,
        bad: (BadLine, UnsafeBufferPointer<UInt8>) throws -> Void
    ) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        var seenRefs: [String: Int] = [:]
        let classifierVersion = Classifier.version
        do {
            try connection.copyIn(
                """
                COPY cases (organisation_id, ref, caseworker, facts, classification, classifier_version, classified_by,
                            primary_category, categories, review) FROM STDIN
                """
            ) { writer in
                var rows = CopyTextRow()
                var scratch: [UInt8] = []
                let organisationText = String(organisation)
                try file.forEachLine { number, bytes in
                    if knownBad.contains(number) { return try rejected(bytes) }
                    let facts: CaseFacts
                    do {
                        facts = try CaseFacts.decode(utf8: bytes)
                    } catch let error as CaseFactsError {
                        return try bad(BadLine(line: number, ref: nil, message: error.message), bytes)
                    }
                    if let first = seenRefs[facts.ref] {
                        return try bad(
                            BadLine(line: number, ref: facts.ref, message: "ref: repeats the ref of line \(first)"),
                            bytes)
                    }
                    seenRefs[facts.ref] = number
                    guard keepWriting() else { return }
                    let result = classifier.classify(facts)
                    counts[result.primaryID, default: 0] += 1
                    rows.text(organisationText)
                    rows.text(facts.ref)
                    rows.text(caseworker)
                    // Both JSON documents are written straight into bytes: no intermediate Strings.
                    scratch.removeAll(keepingCapacity: true)
                    facts.appendCanonicalJSON(to: &scratch)
                    rows.text(utf8: scratch)
                    scratch.removeAll(keepingCapacity: true)
                    result.appendResultJSON(to: &scratch)
                    rows.text(utf8: scratch)
                    rows.text(classifierVersion)
                    rows.text(caseworker)
                    rows.text(result.primaryID)
                    rows.identifierArray(result.categories.map(\.rawValue))
                    rows.boolean(result.review)
                    rows.endRow()
                    if rows.bytes.count >= Self.copyMessageSize {
                        try writer.write(rows.bytes)
                        rows.reset()
                    }
                }
                try writer.write(rows.bytes)
            }
        } catch let error as PostgresError where error.serverError?.kind == .uniqueViolation {
            throw StoreError.duplicate(
                "a case with one of these refs was created while the import ran (\(error.serverError?.detail ?? "")); nothing was imported"
            )
        }
        return counts
    }
}

/// Where `--skip-bad` writes the rejected lines, verbatim, one per line. Opened on the first
/// reject, mode 0600: rejected lines are case facts too.
final class RejectsFile {
    private let path: String?
    private var handle: FileHandle?

    init(path: String?) { self.path = path }

    func write(_ line: UnsafeBufferPointer<UInt8>) throws {
        guard let path else { return }
        if handle == nil {
            guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
                let opened = FileHandle(forWritingAtPath: path)
            else {
                throw StoreError.unusable("cannot create the rejects file \(path)")
            }
            handle = opened
        }
        try handle?.write(contentsOf: Data(buffer: line) + [UInt8(ascii: "\n")])
    }

    func close() { try? handle?.close() }
}
