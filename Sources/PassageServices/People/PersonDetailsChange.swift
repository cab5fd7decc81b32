import PassageCore

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

extension PersonDetailsChange {
    /// The values every interface's input must meet, named as the console names them (the HTTP
    /// body uses the same names): the console checks its arguments' form before, the HTTP API
    /// relies on this.
    func checked() throws(ServiceError) -> PersonDetailsChange {
        if let name {
            guard !name.isEmpty, name.count <= 200 else {
                throw .badArgument(argument: "name", message: "must be 1 to 200 characters")
            }
        }
        if let dateOfBirth, CalendarDate(dateOfBirth) == nil {
            throw .badArgument(argument: "dob", message: "expected a date YYYY-MM-DD that exists")
        }
        if let phone {
            guard !phone.isEmpty, phone.count <= 40 else {
                throw .badArgument(argument: "phone", message: "must be 1 to 40 characters")
            }
        }
        if let documents {
            var seen = Set<String>()
            for document in documents {
                guard !document.isEmpty, document.count <= 200 else {
                    throw .badArgument(
                        argument: "documents", message: "each document number must be 1 to 200 characters")
                }
                guard seen.insert(document).inserted else {
                    throw .badArgument(argument: "documents", message: "\"\(document)\" is repeated")
                }
            }
        }
        return self
    }
}
