/// Who a case is about: names, date of birth, phone and identity documents. Kept apart from the
/// facts and encrypted at rest; only caseworkers and supervisors of the owning organisation see
/// them, and every read is audited.
public struct PersonDetails: Sendable, Equatable {
    public var names: [String]
    /// `YYYY-MM-DD`.
    public var dateOfBirth: String?
    public var phone: String?
    public var documents: [String]

    public init(names: [String] = [], dateOfBirth: String? = nil, phone: String? = nil, documents: [String] = []) {
        self.names = names
        self.dateOfBirth = dateOfBirth
        self.phone = phone
        self.documents = documents
    }
}
