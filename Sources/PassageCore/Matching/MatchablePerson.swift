/// What the matching compares of a person: the identifiers sealed in `persons` (names, date of
/// birth, phone, documents) and, from the case facts, sex and nationality. In clear, so it only
/// ever exists in the application's memory.
public struct MatchablePerson: Sendable, Equatable {
    /// Each a full name as recorded (a person may be known under several).
    public var names: [String]
    /// `YYYY-MM-DD`.
    public var dateOfBirth: String?
    public var phone: String?
    public var documents: [String]
    /// The case facts' `sex` and `nationality`, when known (scored; not indexed).
    public var sex: String?
    public var nationality: String?

    public init(
        names: [String] = [], dateOfBirth: String? = nil, phone: String? = nil, documents: [String] = [],
        sex: String? = nil, nationality: String? = nil
    ) {
        self.names = names
        self.dateOfBirth = dateOfBirth
        self.phone = phone
        self.documents = documents
        self.sex = sex
        self.nationality = nationality
    }
}

/// A case as a search lists it: its id and its organisation's reference.
public struct CaseReference: Sendable, Equatable, Hashable {
    public let id: Int64
    public let ref: String

    public init(id: Int64, ref: String) {
        self.id = id
        self.ref = ref
    }
}
