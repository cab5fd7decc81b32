/// A bulk import of case facts from a JSON Lines file (`passage import`).
public struct CaseImportRequest: Sendable, Equatable {
    /// The JSON Lines file of case facts.
    public var path: String
    /// The organisation that owns the imported cases; created when missing.
    public var organisation: String
    /// The caseworker recorded as owner of the imported cases.
    public var caseworker: String
    /// Import the good lines and write the bad ones to `rejectsPath`; otherwise a file with any
    /// bad line imports nothing.
    public var skipBad: Bool
    public var rejectsPath: String?

    public init(
        path: String, organisation: String, caseworker: String, skipBad: Bool = false, rejectsPath: String? = nil
    ) {
        self.path = path
        self.organisation = organisation
        self.caseworker = caseworker
        self.skipBad = skipBad
        self.rejectsPath = rejectsPath
    }
}
