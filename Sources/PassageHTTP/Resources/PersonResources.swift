import PassageCore
import PassageServices

/// Who a case is about (PERSON SHOW): personal data, shown only to the owning organisation's
/// caseworkers and supervisors, every read audited.
struct PersonResource: Encodable, Sendable {
    let names: [String]
    let dob: String?
    let phone: String?
    let documents: [String]

    init(_ person: PersonDetails) {
        names = person.names
        dob = person.dateOfBirth
        phone = person.phone
        documents = person.documents
    }

    static let schema = JSONSchema.object(
        [
            ("names", .array(of: .string())),
            ("dob", .nullable(.string(description: "date of birth", format: "date"))),
            ("phone", .nullable(.string())),
            ("documents", .array(of: .string(), description: "identity document numbers")),
        ], required: ["names", "dob", "phone", "documents"])
}

/// `PATCH /v1/cases/{case}/person`: PERSON SET's inputs. The fields given change, the others keep
/// their value; the names are the console's, so the service's check names them as sent.
struct PersonChangeBody: Decodable, Sendable {
    let name: String?
    let dob: String?
    let phone: String?
    let documents: [String]?

    static let schema = JSONSchema.object(
        [
            ("name", .string(description: "full name (replaces the names recorded)", maxLength: 200)),
            ("dob", .string(description: "date of birth, YYYY-MM-DD", format: "date")),
            ("phone", .string(maxLength: 40)),
            (
                "documents",
                .array(of: .string(maxLength: 200), description: "identity document numbers (replace the list)")
            ),
        ], required: [], description: "at least one field")

    var change: PersonDetailsChange {
        PersonDetailsChange(name: name, dateOfBirth: dob, phone: phone, documents: documents)
    }
}
