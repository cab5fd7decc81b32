/// What a bulk import of case facts did: how many cases it stored, by category, and every line
/// it refused with the reason, or that it stored nothing because of them.
public struct CaseImportReport: Sendable, Equatable {
    /// A line of the file that is not a valid case, with where and why.
    public struct BadLine: Sendable, Equatable, CustomStringConvertible {
        public let line: Int
        public let ref: String?
        public let message: String

        public init(line: Int, ref: String?, message: String) {
            self.line = line
            self.ref = ref
            self.message = message
        }

        public var description: String { "line \(line)\(ref.map { " (ref \($0))" } ?? ""): \(message)" }
    }

    public var imported: Int
    public var badLines: [BadLine]
    /// Imported cases per primary category (`unclassified` included).
    public var importedByCategory: [String: Int]
    /// Bad lines without `skipBad`: nothing was imported.
    public var refused: Bool
    public var validating: Duration
    public var loading: Duration

    public init(
        imported: Int = 0, badLines: [BadLine] = [], importedByCategory: [String: Int] = [:], refused: Bool = false,
        validating: Duration = .zero, loading: Duration = .zero
    ) {
        self.imported = imported
        self.badLines = badLines
        self.importedByCategory = importedByCategory
        self.refused = refused
        self.validating = validating
        self.loading = loading
    }
}
