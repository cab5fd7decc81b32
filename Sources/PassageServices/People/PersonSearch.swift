import PassageCore

/// `PERSON SEARCH`'s input checked as every interface must check it (named as the console
/// names the arguments; the HTTP query uses the same names).
extension PersonQuery {
    /// The sexes case facts record (shared/spec/case-facts.md).
    static let sexes: Set<String> = ["female", "male", "other", "unknown"]

    func checked() throws(ServiceError) -> PersonQuery {
        if let name {
            guard !name.trimmingCharacters(in: .whitespaces).isEmpty, name.count <= 200 else {
                throw .badArgument(argument: "name", message: "must be 1 to 200 characters")
            }
            guard !NameNormalisation.parts(name).isEmpty else {
                throw .badArgument(argument: "name", message: "has no letters to search by")
            }
        }
        if let phone, phone.count > 40 || IdentifierNormalisation.phone(phone) == nil {
            throw .badArgument(argument: "phone", message: "expected a phone number of at least 6 digits")
        }
        if let document, document.count > 200 || IdentifierNormalisation.document(document) == nil {
            throw .badArgument(argument: "document", message: "expected a document number (letters and digits)")
        }
        if let sex, !Self.sexes.contains(sex) {
            throw .badArgument(
                argument: "sex", message: "expected one of \(Self.sexes.sorted().joined(separator: ", "))")
        }
        if let nationality, !["stateless", "unknown"].contains(nationality),
            nationality.count != 2 || !nationality.allSatisfy({ $0.isASCII && $0.isLetter })
        {
            throw .badArgument(
                argument: "nationality", message: "expected an ISO 3166-1 alpha-2 code (SY), stateless or unknown")
        }
        guard name != nil || birth != nil || phone != nil || document != nil else {
            throw .badArgument(argument: "name", message: "give at least one of name=, dob=, phone=, document=")
        }
        guard !PersonMatchKeys.forQuery(self).isEmpty else {
            throw .badArgument(
                argument: "dob",
                message: "a year or a range of years alone narrows too little: add name=, phone= or document=")
        }
        var query = self
        if let nationality, nationality.count == 2 { query.nationality = nationality.uppercased() }
        return query
    }
}
