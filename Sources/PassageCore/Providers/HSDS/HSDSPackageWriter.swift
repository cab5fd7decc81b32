/// Writes the provider directory as an Open Referral HSDS 3 tabular data package: one CSV file per
/// table of `HSDSSchema` (every column of HSDS, in its order, empty where Passage keeps nothing)
/// and `datapackage.json` describing them. A provider is an organization offering one service;
/// the service carries the status (spelled as HSDS does: `temporarily closed`), the ages and the
/// capacity (`service_capacity`, in the unit "open referral"); its service types are terms of the
/// taxonomy of Passage's service types, linked by `attribute` rows; its ISO 3166-2 areas are
/// `service_area` rows; every location is linked to the service by `service_at_location`.
///
/// Organization, service, location, phone and contact ids are the stored ones; the ids of the
/// rows that only link them are derived by `derivedID` from what they link (a name-based UUID),
/// so the same directory always gives the same bytes. Every cell goes through `CSVCell`.
public enum HSDSPackage {
    /// The taxonomy of service types the package publishes, and its name in `taxonomy_term.taxonomy`.
    public static let taxonomyName = "Passage service types"
    /// What `service_capacity` counts: the open referrals a provider can hold.
    public static let capacityUnit = (name: "open referral", scheme: "Passage", identifier: "open_referral")

    /// The package: file name → content, `datapackage.json` among them.
    public static func render(
        _ providers: [DirectoryProvider], serviceTypes: [ServiceTypeTerm], derivedID: (String) -> String
    ) -> [String: String] {
        var tables = Tables()
        let taxonomyID = derivedID("taxonomy:passage-service-types")
        tables.add(
            HSDSSchema.taxonomy,
            [
                "id": taxonomyID, "name": taxonomyName,
                "description":
                    "The service list of the IASC inter-agency referral form, as Passage's service type codes.",
            ])
        var termIDs: [String: String] = [:]
        for term in serviceTypes {
            let id = derivedID("taxonomy_term:\(term.code)")
            termIDs[term.code] = id
            tables.add(
                HSDSSchema.taxonomyTerm,
                [
                    "id": id, "code": term.code, "name": term.meaning, "description": term.meaning,
                    "taxonomy": taxonomyName, "language": "en", "taxonomy_id": taxonomyID,
                ])
        }
        let unitID = derivedID("unit:\(capacityUnit.identifier)")
        tables.add(
            HSDSSchema.unit,
            [
                "id": unitID, "name": capacityUnit.name, "scheme": capacityUnit.scheme,
                "identifier": capacityUnit.identifier,
            ])
        for provider in providers {
            let entry = provider.entry
            let organization = provider.organizationID
            let service = provider.serviceID
            tables.add(
                HSDSSchema.organization,
                // HSDS requires an organization description; the provider's own is the service's.
                ["id": organization, "name": entry.name, "description": entry.description ?? entry.name])
            tables.add(
                HSDSSchema.service,
                [
                    "id": service, "organization_id": organization, "name": entry.name,
                    "description": entry.description ?? "", "status": HSDSStatus.hsds(entry.status),
                    "minimum_age": number(entry.minimumAge), "maximum_age": number(entry.maximumAge),
                ])
            for code in entry.services {
                // A code the taxonomy lacks cannot be stored (service_types is its foreign key).
                guard let term = termIDs[code] else { continue }
                tables.add(
                    HSDSSchema.attribute,
                    [
                        "id": derivedID("attribute:\(service):\(code)"), "link_id": service, "taxonomy_term_id": term,
                        "link_entity": "service",
                    ])
            }
            for area in entry.areas {
                tables.add(
                    HSDSSchema.serviceArea,
                    [
                        "id": derivedID("service_area:\(service):\(area)"), "service_id": service, "name": area,
                        "description": areaDescription,
                    ])
            }
            if let capacity = entry.capacity {
                tables.add(
                    HSDSSchema.serviceCapacity,
                    [
                        "id": derivedID("service_capacity:\(service)"), "service_id": service, "unit_id": unitID,
                        "available": String(capacity), "maximum": String(capacity),
                        "description": capacityDescription, "updated": provider.capacityStated ?? "",
                    ])
            }
            for location in provider.locations {
                tables.add(
                    HSDSSchema.location,
                    [
                        "id": location.id, "location_type": location.type, "organization_id": organization,
                        "name": location.name ?? "", "latitude": location.latitude ?? "",
                        "longitude": location.longitude ?? "",
                    ])
                if let address = location.address {
                    tables.add(
                        HSDSSchema.address,
                        [
                            "id": derivedID("address:\(location.id)"), "location_id": location.id,
                            "address_1": address.street, "city": address.city,
                            "state_province": address.stateProvince, "postal_code": address.postalCode,
                            "country": address.country, "address_type": location.type,
                        ])
                }
                tables.add(
                    HSDSSchema.serviceAtLocation,
                    [
                        "id": derivedID("service_at_location:\(service):\(location.id)"), "service_id": service,
                        "location_id": location.id,
                    ])
            }
            for phone in provider.phones {
                tables.add(
                    HSDSSchema.phone,
                    [
                        "id": phone.id, "location_id": phone.locationID ?? "", "organization_id": organization,
                        "number": phone.number, "extension": number(phone.extensionNumber), "type": phone.type ?? "",
                        "description": phone.description ?? "",
                    ])
            }
            for contact in provider.contacts {
                tables.add(
                    HSDSSchema.contact,
                    [
                        "id": contact.id, "organization_id": organization, "name": contact.name ?? "",
                        "title": contact.title ?? "", "department": contact.department ?? "",
                        "email": contact.email ?? "",
                    ])
            }
        }
        var files = tables.files
        files[descriptorFile] = HSDSDescriptor.render()
        return files
    }

    public static let descriptorFile = "datapackage.json"
    static let areaDescription = "ISO 3166-2 subdivision"
    static let capacityDescription = "Open referrals the provider can hold, as it stated them"

    static func number(_ value: Int?) -> String { value.map { String($0) } ?? "" }

    /// The CSV text of each table, header first, every column of the table in HSDS's order.
    struct Tables {
        private var lines: [String: [String]] = [:]

        init() {
            for resource in HSDSSchema.resources { lines[resource.path] = [CSVCell.line(resource.columns)] }
        }

        mutating func add(_ resource: HSDSResource, _ values: [String: String]) {
            assert(Set(values.keys).isSubset(of: resource.columns), "\(resource.name): \(values.keys)")
            // Names, descriptions, numbers and addresses are outside text: CSVCell guards formulas.
            lines[resource.path, default: []].append(CSVCell.line(resource.columns.map { values[$0] ?? "" }))
        }

        var files: [String: String] {
            lines.mapValues { $0.joined(separator: "\n") + "\n" }
        }
    }
}

/// Passage's provider statuses and HSDS's spelling of them (`temporarily_closed`, a console
/// word, is HSDS's `temporarily closed`).
public enum HSDSStatus {
    public static func hsds(_ status: String) -> String {
        status == "temporarily_closed" ? "temporarily closed" : status
    }

    /// Passage's status for an HSDS one; nil for a value HSDS does not have.
    public static func passage(_ status: String) -> String? {
        switch status {
        case "temporarily closed": "temporarily_closed"
        case "active", "inactive", "defunct": status
        default: nil
        }
    }
}
