import PassageCore

/// The case-facts contract (shared/spec/case-facts.md, version 2) as JSON Schemas for the
/// OpenAPI document: the facts a case is opened or changed with (section 2) and the
/// classification result (section 4). The vocabularies come from PassageCore's enumerations, so
/// the document cannot drift from what the decoder accepts; the decoder stays the one check
/// (a body is validated by it, not by these schemas).
enum CaseFactsSchema {
    static func choices<T: RawRepresentable & CaseIterable>(_ type: T.Type, _ description: String? = nil)
        -> JSONSchema where T.RawValue == String
    {
        .string(description: description, choices: T.allCases.map(\.rawValue))
    }

    static func list<T: RawRepresentable & CaseIterable>(_ type: T.Type, _ description: String) -> JSONSchema
    where T.RawValue == String {
        .array(of: choices(type), description: description + " (no value twice)")
    }

    static let country = JSONSchema.string(description: "ISO 3166-1 alpha-2, upper case (KE)", maxLength: 2)
    static let area = JSONSchema.string(description: "ISO 3166-2 code (CO-ANT)", maxLength: 6)

    static let employment = JSONSchema.object(
        [
            ("status", choices(EmploymentStatus.self)),
            ("skill_level", .integer(description: "ISCO-08 skill level", minimum: 1, maximum: 4)),
            ("authorized", .boolean()), ("sponsored", .boolean()),
            ("kind", choices(EmploymentKind.self, "ICRMW art. 2(2) type")),
            ("country", country), ("capacity", choices(EmploymentCapacity.self, "ICRMW art. 3")),
            ("admitted_to_reside", .boolean()),
        ], required: [], description: "ICRMW arts. 2, 3 and 5; null records none")

    static let trafficking = JSONSchema.object(
        [
            ("acts", list(TraffickingAct.self, "Palermo Protocol art. 3 acts")),
            ("means", list(TraffickingMeans.self, "means")),
            ("purposes", list(TraffickingPurpose.self, "purposes of exploitation")),
            ("age_at_act", .integer(minimum: 0, maximum: 130)),
        ], required: [], description: "Palermo Protocol art. 3; null records none")

    static let properties: [(String, JSONSchema)] = [
        ("ref", .string(description: "your reference, 1-64 characters", maxLength: 64)),
        ("age", .integer(description: "completed years at assessment", minimum: 0, maximum: 130)),
        ("sex", choices(Sex.self)),
        ("nationality", .string(description: "ISO 3166-1 alpha-2, stateless or unknown", maxLength: 9)),
        ("other_nationalities", .array(of: country)),
        ("habitual_residence", country), ("origin_area", area), ("current_country", country),
        ("current_area", area), ("crossed_border", .boolean()), ("left_home", .boolean()), ("forced", .boolean()),
        ("causes", list(Cause.self, "why the person left, or cannot return")),
        ("persecution_grounds", list(PersecutionGround.self, "1951 Convention grounds")),
        ("persecution_agent", choices(PersecutionAgent.self)), ("state_protection", .boolean()),
        ("other_nationality_protection", .boolean()), ("asylum", choices(AsylumState.self)),
        ("unrwa", choices(UNRWAStatus.self)), ("national_rights", .boolean()), ("excluded", .boolean()),
        ("employment", .nullable(employment)), ("trafficking", .nullable(trafficking)), ("smuggled", .boolean()),
    ]

    /// A new case's facts: `ref` and `current_country` required.
    static let newCase = JSONSchema.object(
        properties, required: ["ref", "current_country"],
        description: "case facts (case-facts contract v2, section 2); unknown keys and values are refused")

    /// A change: the facts named replace the case's, the others stay; a nested object replaces
    /// the whole nested object.
    static let change = JSONSchema.object(
        properties, required: [],
        description: "the facts to change (case-facts contract v2); the facts not named keep their value")

    static let categories = MovementCategory.allCases.map(\.rawValue)

    /// The classification result (contract section 4), with each category's legal basis.
    static let classification = JSONSchema.object(
        [
            ("ref", .string()),
            ("primary", .string(choices: categories + [MovementCategory.unclassifiedID])),
            ("categories", .array(of: .string(choices: categories), description: "every category met, by precedence")),
            ("subcategories", .map(values: .string(), description: "category → subcategory")),
            (
                "basis",
                .map(
                    values: .array(of: choices(LegalBasis.self)),
                    description: "category → the legal basis that puts the case in it (contract section 3.7)")
            ),
            ("regular", .nullable(.boolean(description: "migrant worker: authorised (employment.authorized)"))),
            ("institutional", .nullable(.boolean(description: "migrant worker: sponsored (employment.sponsored)"))),
            ("review", .boolean(description: "a person should look at this classification")),
            ("notes", .array(of: choices(ClassificationNote.self))),
            ("missing", .array(of: choices(MissingFact.self), description: "facts whose absence left a question open")),
        ],
        required: [
            "ref", "primary", "categories", "subcategories", "basis", "regular", "institutional", "review", "notes",
            "missing",
        ], description: "the rule result of the current facts (case-facts contract v2, section 4)")
}
