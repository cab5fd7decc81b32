/// The tables of the Open Referral HSDS 3 tabular data package that Passage's provider directory
/// fills, each with the fields, order, types and constraints of HSDS 3.1's `datapackage.json`
/// (openreferral/specification, branch 3.1-dev, commit abc731c; Tests/Python/hsds/SOURCE.md).
/// At that commit the compiled package lists only the identifiers of `service_capacity` and none of
/// `unit`; their fields here are those of `schema/service_capacity.json` and `schema/unit.json`,
/// compiled the way the other tables are (scalar properties; `required` and `tabular_required`).
/// Tests/Python/check_hsds.py compares every table with those files, so a field cannot drift.
public struct HSDSResource: Sendable {
    public let name: String
    /// The CSV file's name inside the package directory.
    public let path: String
    public let fields: [HSDSField]
    /// (field, resource) pairs; each references the other resource's `id`.
    public let foreignKeys: [(field: String, resource: String)]

    public var columns: [String] { fields.map(\.name) }
}

/// One column of an HSDS table (a Table Schema field).
public struct HSDSField: Sendable {
    public enum Kind: String, Sendable { case string, number, date, datetime, time }

    public let name: String
    public let type: Kind
    public let format: String?
    public let required: Bool
    public let unique: Bool
    public let enumeration: [String]?

    init(
        _ name: String, _ type: Kind, format: String? = nil, required: Bool = false, unique: Bool = false,
        enum enumeration: [String]? = nil
    ) {
        self.name = name
        self.type = type
        self.format = format
        self.required = required
        self.unique = unique
        self.enumeration = enumeration
    }
}

public enum HSDSSchema {
    /// HSDS's version of the tables below.
    public static let version = "3.1"

    /// Every table of Passage's package, in the order the descriptor lists them.
    public static let resources: [HSDSResource] = [
        organization, service, serviceArea, location, address, serviceAtLocation, phone, contact, taxonomy,
        taxonomyTerm, attribute, unit, serviceCapacity,
    ]

    static let organization = HSDSResource(
        name: "organization", path: "organizations.csv",
        fields: [
            HSDSField("id", .string, format: "uuid", required: true, unique: true),
            HSDSField("name", .string, required: true),
            HSDSField("alternate_name", .string),
            HSDSField("description", .string, required: true),
            HSDSField("email", .string, format: "email"),
            HSDSField("website", .string, format: "uri"),
            HSDSField("tax_status", .string),
            HSDSField("tax_id", .string),
            HSDSField("year_incorporated", .number),
            HSDSField("legal_status", .string),
            HSDSField("logo", .string),
            HSDSField("uri", .string, format: "uri"),
            HSDSField("parent_organization_id", .string, format: "uuid"),
        ],
        foreignKeys: [])

    static let service = HSDSResource(
        name: "service", path: "services.csv",
        fields: [
            HSDSField("id", .string, format: "uuid", required: true, unique: true),
            HSDSField("organization_id", .string, format: "uuid", required: true),
            HSDSField("program_id", .string, format: "uuid"),
            HSDSField("name", .string, required: true),
            HSDSField("alternate_name", .string),
            HSDSField("description", .string),
            HSDSField("url", .string, format: "uri"),
            HSDSField("email", .string, format: "email"),
            HSDSField(
                "status", .string, required: true, enum: ["active", "inactive", "defunct", "temporarily closed"]),
            HSDSField("interpretation_services", .string),
            HSDSField("application_process", .string),
            HSDSField("fees_description", .string),
            HSDSField("wait_time", .string),
            HSDSField("fees", .string),
            HSDSField("accreditations", .string),
            HSDSField("eligibility_description", .string),
            HSDSField("minimum_age", .number),
            HSDSField("maximum_age", .number),
            HSDSField("assured_date", .date),
            HSDSField("assurer_email", .string, format: "email"),
            HSDSField("licenses", .string),
            HSDSField("alert", .string),
            HSDSField("last_modified", .datetime),
        ],
        foreignKeys: [("organization_id", "organization"), ("program_id", "program")])

    static let serviceArea = HSDSResource(
        name: "service_area", path: "service_areas.csv",
        fields: [
            HSDSField("id", .string, format: "uuid", required: true, unique: true),
            HSDSField("service_id", .string, format: "uuid"),
            HSDSField("service_at_location_id", .string, format: "uuid"),
            HSDSField("name", .string),
            HSDSField("description", .string),
            HSDSField("extent", .string),
            HSDSField("extent_type", .string),
            HSDSField("uri", .string),
        ],
        foreignKeys: [("service_id", "service"), ("service_at_location_id", "service_at_location")])

    static let location = HSDSResource(
        name: "location", path: "locations.csv",
        fields: [
            HSDSField("id", .string, format: "uuid", required: true, unique: true),
            HSDSField("location_type", .string, required: true, enum: ["physical", "postal", "virtual"]),
            HSDSField("url", .string, format: "uri"),
            HSDSField("organization_id", .string, format: "uuid"),
            HSDSField("name", .string),
            HSDSField("alternate_name", .string),
            HSDSField("description", .string),
            HSDSField("transportation", .string),
            HSDSField("latitude", .number),
            HSDSField("longitude", .number),
            HSDSField("external_identifier", .string),
            HSDSField("external_identifier_type", .string),
        ],
        foreignKeys: [("organization_id", "organization")])

    static let address = HSDSResource(
        name: "address", path: "addresses.csv",
        fields: [
            HSDSField("id", .string, format: "uuid", required: true, unique: true),
            HSDSField("location_id", .string, format: "uuid"),
            HSDSField("attention", .string),
            HSDSField("address_1", .string, required: true),
            HSDSField("address_2", .string),
            HSDSField("city", .string, required: true),
            HSDSField("region", .string),
            HSDSField("state_province", .string, required: true),
            HSDSField("postal_code", .string, required: true),
            HSDSField("country", .string, required: true),
            HSDSField("address_type", .string, required: true, enum: ["physical", "postal", "virtual"]),
        ],
        foreignKeys: [("location_id", "location")])

    static let serviceAtLocation = HSDSResource(
        name: "service_at_location", path: "service_at_location.csv",
        fields: [
            HSDSField("id", .string, format: "uuid", required: true, unique: true),
            HSDSField("service_id", .string, format: "uuid", required: true),
            HSDSField("location_id", .string, format: "uuid", required: true),
            HSDSField("description", .string),
        ],
        foreignKeys: [("service_id", "service"), ("location_id", "location")])

    static let phone = HSDSResource(
        name: "phone", path: "phones.csv",
        fields: [
            HSDSField("id", .string, format: "uuid", required: true, unique: true),
            HSDSField("location_id", .string, format: "uuid"),
            HSDSField("service_id", .string, format: "uuid"),
            HSDSField("organization_id", .string, format: "uuid"),
            HSDSField("contact_id", .string, format: "uuid"),
            HSDSField("service_at_location_id", .string, format: "uuid"),
            HSDSField("number", .string, required: true),
            HSDSField("extension", .number),
            HSDSField("type", .string),
            HSDSField("description", .string),
        ],
        foreignKeys: [
            ("contact_id", "contact"), ("location_id", "location"), ("organization_id", "organization"),
            ("service_id", "service"), ("service_at_location_id", "service_at_location"),
        ])

    static let contact = HSDSResource(
        name: "contact", path: "contacts.csv",
        fields: [
            HSDSField("id", .string, format: "uuid", required: true, unique: true),
            HSDSField("organization_id", .string, format: "uuid"),
            HSDSField("service_id", .string, format: "uuid"),
            HSDSField("service_at_location_id", .string, format: "uuid"),
            HSDSField("location_id", .string, format: "uuid"),
            HSDSField("name", .string),
            HSDSField("title", .string),
            HSDSField("department", .string),
            HSDSField("email", .string, format: "email"),
        ],
        foreignKeys: [
            ("location_id", "location"), ("organization_id", "organization"), ("service_id", "service"),
            ("service_at_location_id", "service_at_location"),
        ])

    static let taxonomy = HSDSResource(
        name: "taxonomy", path: "taxonomies.csv",
        fields: [
            HSDSField("id", .string, format: "uuid", required: true, unique: true),
            HSDSField("name", .string, required: true),
            HSDSField("description", .string, required: true),
            HSDSField("uri", .string, format: "uri"),
            HSDSField("version", .string),
        ],
        foreignKeys: [])

    static let taxonomyTerm = HSDSResource(
        name: "taxonomy_term", path: "taxonomy_terms.csv",
        fields: [
            HSDSField("id", .string, format: "uuid", required: true, unique: true),
            HSDSField("code", .string, unique: true),
            HSDSField("name", .string, required: true),
            HSDSField("description", .string, required: true),
            HSDSField("parent_id", .string, format: "uuid"),
            HSDSField("taxonomy", .string),
            HSDSField("language", .string),
            HSDSField("taxonomy_id", .string, format: "uuid"),
            HSDSField("term_uri", .string, format: "uri"),
        ],
        foreignKeys: [("taxonomy_id", "taxonomy")])

    static let attribute = HSDSResource(
        name: "attribute", path: "attributes.csv",
        fields: [
            HSDSField("id", .string, format: "uuid", required: true, unique: true),
            HSDSField("link_id", .string, format: "uuid", required: true),
            HSDSField("taxonomy_term_id", .string, format: "uuid", required: true),
            HSDSField("link_type", .string),
            HSDSField("link_entity", .string, required: true),
            HSDSField("value", .string),
            HSDSField("label", .string),
        ],
        foreignKeys: [("taxonomy_term_id", "taxonomy_term")])

    static let unit = HSDSResource(
        name: "unit", path: "units.csv",
        fields: [
            HSDSField("id", .string, format: "uuid", required: true, unique: true),
            HSDSField("name", .string, required: true),
            HSDSField("scheme", .string),
            HSDSField("identifier", .string),
            HSDSField("uri", .string, format: "uri"),
        ],
        foreignKeys: [])

    static let serviceCapacity = HSDSResource(
        name: "service_capacity", path: "service_capacity.csv",
        fields: [
            HSDSField("id", .string, format: "uuid", required: true, unique: true),
            HSDSField("service_id", .string, format: "uuid", required: true),
            HSDSField("unit_id", .string, format: "uuid", required: true),
            HSDSField("available", .number, required: true),
            HSDSField("maximum", .number),
            HSDSField("description", .string),
            HSDSField("updated", .datetime, required: true),
        ],
        foreignKeys: [("service_id", "service"), ("unit_id", "unit")])
}
