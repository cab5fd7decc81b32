import PassageCore
import PassageServices

/// One person `GET /v1/persons` found (PERSON SEARCH): their cases and the score, never their
/// identifiers (those are read per case, audited: `GET /v1/cases/{case}/person`).
struct PersonMatchResource: Encodable, Sendable {
    let cases: [CaseReferenceResource]
    let score: Double
    let strong: Bool

    init(_ match: PersonMatch) {
        cases = match.cases.map(CaseReferenceResource.init)
        score = match.score
        strong = match.isStrong
    }

    static let schema = JSONSchema.object(
        [
            ("cases", .array(of: CaseReferenceResource.schema, description: "the person's cases, oldest first")),
            ("score", .number(description: "Fellegi–Sunter score: log2 likelihood ratio, higher is likelier")),
            ("strong", .boolean(description: "at or above the strong-match threshold: most probably this person")),
        ], required: ["cases", "score", "strong"])
}

struct CaseReferenceResource: Encodable, Sendable {
    let id: Int64
    let ref: String

    init(_ reference: CaseReference) {
        id = reference.id
        ref = reference.ref
    }

    static let schema = JSONSchema.object([("id", .integer()), ("ref", .string())], required: ["id", "ref"])
}

struct PersonMatchesResource: Encodable, Sendable {
    let items: [PersonMatchResource]

    static let schema = JSONSchema.object(
        [("items", .array(of: PersonMatchResource.schema, description: "strongest first"))], required: ["items"])
}

/// `PATCH /v1/cases/{case}/person`'s answer when the person recorded strongly matches other
/// people of the organisation (the console's `250-warning: may be the person of case N`): the
/// same items as a search, strongest first, never an identifier.
struct PossibleDuplicatesResource: Encodable, Sendable {
    let possibleDuplicates: [PersonMatchResource]

    init(_ matches: [PersonMatch]) { possibleDuplicates = matches.map(PersonMatchResource.init) }

    enum CodingKeys: String, CodingKey { case possibleDuplicates = "possible_duplicates" }

    static let schema = JSONSchema.object(
        [
            (
                "possible_duplicates",
                .array(
                    of: PersonMatchResource.schema,
                    description:
                        "people of your organisation this one strongly matches, strongest first: look before going on")
            )
        ], required: ["possible_duplicates"])
}

/// `POST /v1/persons/search`: what `GET /v1/persons` takes in its query string, as JSON.
struct PersonSearchBody: Decodable, Sendable {
    let name: String?
    let dob: String?
    let sex: String?
    let nationality: String?
    let phone: String?
    let document: String?
    let limit: Int?

    static let schema = JSONSchema.object(
        [
            ("name", .string(description: "any name parts, in any order and script", maxLength: 200)),
            ("dob", .string(description: "date of birth: YYYY-MM-DD, YYYY-MM, YYYY or YYYY..YYYY", maxLength: 21)),
            ("sex", .string(description: "only cases of this sex", choices: ["female", "male", "other", "unknown"])),
            ("nationality", .string(description: "only cases of this nationality (ISO 3166-1 alpha-2)", maxLength: 9)),
            ("phone", .string(description: "phone number", maxLength: 40)),
            ("document", .string(description: "document number", maxLength: 200)),
            ("limit", .integer(description: "at most this many people (1–100, default 20)", minimum: 1, maximum: 100)),
        ], required: [])
}
