import Postgres

/// Organisations own cases and users. `default` always exists (migration 0001).
public enum OrganisationStore {
    public static let defaultName = "default"

    /// The id of the organisation called `name`, created first when `create` is true.
    public static func id(named name: String, create: Bool, on connection: PostgresConnection) throws -> Int64 {
        guard (1...200).contains(name.count) else {
            throw StoreError.invalid(argument: "organisation", message: "organisation name must be 1 to 200 characters")
        }
        if create {
            try connection.execute("INSERT INTO organisations (name) VALUES (\(name)) ON CONFLICT (name) DO NOTHING")
        }
        let rows = try connection.query("SELECT id FROM organisations WHERE name = \(name)")
        guard let row = rows.first else { throw StoreError.notFound("organisation \(name)") }
        return try row.decode(Int64.self)
    }

    public static func name(of id: Int64, on connection: PostgresConnection) throws -> String {
        guard let row = try connection.query("SELECT name FROM organisations WHERE id = \(id)").first else {
            throw StoreError.notFound("organisation \(id)")
        }
        return try row.decode(String.self)
    }
}
