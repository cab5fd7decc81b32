/// What `PERSON SET` changes: the fields given; the others keep their value.
public struct PersonDetailsChange: Sendable, Equatable {
    /// The person's full name (replaces the names recorded).
    public var name: String?
    /// `YYYY-MM-DD`.
    public var dateOfBirth: String?
    public var phone: String?
    public var documents: [String]?

    public init(name: String? = nil, dateOfBirth: String? = nil, phone: String? = nil, documents: [String]? = nil) {
        self.name = name
        self.dateOfBirth = dateOfBirth
        self.phone = phone
        self.documents = documents
    }

    var isEmpty: Bool { name == nil && dateOfBirth == nil && phone == nil && documents == nil }
}
