/// `datapackage.json` of the provider directory's HSDS package: a Frictionless tabular data package
/// whose tables have HSDS 3.1's fields, types and constraints (`HSDSSchema`). HSDS's foreign keys
/// are kept where the referenced table is in the package (`service.program_id` is not: Passage
/// has no programs), so a validator checks every link. Written by hand, in a fixed key order, so
/// the file's bytes never vary.
enum HSDSDescriptor {
    static func render() -> String {
        let names = Set(HSDSSchema.resources.map(\.name))
        let resources = HSDSSchema.resources.map { resource in
            let fields = resource.fields.map { field in
                var constraints = [
                    "\"required\": \(field.required)", "\"unique\": \(field.unique)",
                ]
                if let values = field.enumeration {
                    constraints.append("\"enum\": [\(values.map(quoted).joined(separator: ", "))]")
                }
                var members = ["\"name\": \(quoted(field.name))", "\"type\": \(quoted(field.type.rawValue))"]
                if let format = field.format { members.append("\"format\": \(quoted(format))") }
                members.append("\"constraints\": {\(constraints.joined(separator: ", "))}")
                return "          {\(members.joined(separator: ", "))}"
            }
            let keys = resource.foreignKeys.filter { names.contains($0.resource) }.map { key in
                "          {\"fields\": \(quoted(key.field)), \"reference\": {\"resource\": \(quoted(key.resource)), \"fields\": \"id\"}}"
            }
            return """
                    {
                      "name": \(quoted(resource.name)),
                      "path": \(quoted(resource.path)),
                      "profile": "tabular-data-resource",
                      "format": "csv",
                      "mediatype": "text/csv",
                      "encoding": "utf-8",
                      "schema": {
                        "fields": [
                \(fields.joined(separator: ",\n"))
                        ],
                        "primaryKey": "id",
                        "foreignKeys": [
                \(keys.joined(separator: ",\n"))
                        ]
                      }
                    }
                """
        }
        return """
            {
              "profile": "tabular-data-package",
              "name": "passage-provider-directory",
              "title": "Passage service provider directory",
              "description": "Open Referral HSDS \(HSDSSchema.version) tabular data package of the service providers Passage refers to.",
              "homepage": "https://docs.openreferral.org",
              "resources": [
            \(resources.joined(separator: ",\n"))
              ]
            }

            """
    }

    /// A JSON string of `text` (the names and codes above are ASCII without quotes or backslashes;
    /// escaped anyway).
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case _ where scalar.value < 0x20: out += "\\u00" + String(scalar.value, radix: 16).leftPadded(2)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
