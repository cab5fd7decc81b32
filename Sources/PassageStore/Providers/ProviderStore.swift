import PassageCore
import Postgres

/// The provider directory. Providers are not case data: every signed-in casework user may
/// read the directory; only administrators change it.
public struct ProviderStore: Sendable {
    public init() {}

    public static let statuses = ProviderRecord.statuses

    /// `PROVIDER ADD`: registers the organisation `name` as a provider (creating the
    /// organisation when new) or, when it is one already, attaches the services and areas to
    /// it; a given capacity replaces the old one. Returns the provider and whether it is new.
    public func add(
        name: String, services: [String], areas: [String], capacity: Int?,
        on connection: PostgresConnection
    ) throws -> (provider: ProviderRecord, created: Bool) {
        try checkAreas(areas)
        let organisation = try OrganisationStore.id(named: name, create: true, on: connection)
        let rows = try connection.query(
            """
            INSERT INTO providers (organisation_id, capacity, capacity_stated_at)
            VALUES (\(organisation), \(capacity), CASE WHEN \(capacity)::integer IS NOT NULL THEN now() END)
            ON CONFLICT (organisation_id) DO UPDATE SET capacity = coalesce(EXCLUDED.capacity, providers.capacity),
                   capacity_stated_at = coalesce(EXCLUDED.capacity_stated_at, providers.capacity_stated_at), updated_at = now()
            RETURNING id, xmax = 0
            """)
        let (id, created) = try rows[0].decode((Int64, Bool).self)
        try attach(provider: id, services: services, areas: areas, on: connection)
        return (try find(id: id, on: connection), created)
    }

    /// Sets every field of the provider called `entry.name` to the entry's values (services and
    /// areas replaced, not added), creating organisation and provider when new. Used by import,
    /// so that importing an export gives back the same directory.
    public func put(_ entry: ProviderEntry, on connection: PostgresConnection) throws -> Int64 {
        try checkAreas(entry.areas)
        guard Self.statuses.contains(entry.status) else {
            throw StoreError.invalid(
                argument: "status",
                message: "status must be one of \(Self.statuses.joined(separator: ", ")) (got \(entry.status))")
        }
        let organisation = try OrganisationStore.id(named: entry.name, create: true, on: connection)
        let rows = try connection.query(
            """
            INSERT INTO providers (organisation_id, status, capacity, minimum_age, maximum_age, description, capacity_stated_at)
            VALUES (\(organisation), \(entry.status), \(entry.capacity), \(entry.minimumAge), \(entry.maximumAge), \(entry.description),
                    CASE WHEN \(entry.capacity)::integer IS NOT NULL THEN now() END)
            ON CONFLICT (organisation_id) DO UPDATE
               SET status = EXCLUDED.status, capacity = EXCLUDED.capacity, minimum_age = EXCLUDED.minimum_age,
                   -- a capacity stated again unchanged keeps the time it was stated (HSDS service_capacity.updated)
                   capacity_stated_at = CASE WHEN EXCLUDED.capacity IS NULL THEN NULL
                                             WHEN EXCLUDED.capacity IS DISTINCT FROM providers.capacity THEN now()
                                             ELSE coalesce(providers.capacity_stated_at, now()) END,
                   maximum_age = EXCLUDED.maximum_age, description = EXCLUDED.description, updated_at = now()
            RETURNING id
            """)
        let id = try rows[0].decode(Int64.self)
        try connection.execute("DELETE FROM provider_services WHERE provider_id = \(id)")
        try connection.execute("DELETE FROM provider_areas WHERE provider_id = \(id)")
        try attach(provider: id, services: entry.services, areas: entry.areas, on: connection)
        return id
    }

    /// Provider `id`.
    public func find(id: Int64, on connection: PostgresConnection) throws -> ProviderRecord {
        let rows = try connection.query("\(Self.select) WHERE p.id = \(id)")
        guard let row = rows.first else { throw StoreError.notFound("provider \(id)") }
        return try Self.record(from: row)
    }

    /// Providers offering `service` (when given) in `area` (when given) — an area is a
    /// subdivision (`CO-ANT`) or a whole country (`CO`) — in id order.
    public func list(
        service: String?, area: String?, after: Int64? = nil, limit: Int? = nil, on connection: PostgresConnection
    ) throws -> [ProviderRecord] {
        let rows = try connection.query(
            """
            \(Self.select)
             WHERE (\(service)::text IS NULL OR EXISTS (SELECT 1 FROM provider_services s WHERE s.provider_id = p.id AND s.service = \(service)))
               AND (\(area)::text IS NULL OR EXISTS (SELECT 1 FROM provider_areas a WHERE a.provider_id = p.id
                                                        AND (a.area = \(area) OR split_part(a.area, '-', 1) = \(area))))
               AND p.id > \(after ?? 0)
             ORDER BY p.id LIMIT \(limit.map(Int64.init))
            """)
        return try rows.map(Self.record(from:))
    }

    /// Every provider in name order (export).
    public func all(on connection: PostgresConnection) throws -> [ProviderRecord] {
        try connection.query("\(Self.select) ORDER BY o.name").map(Self.record(from:))
    }

    /// The service type codes the database knows (`service_types`).
    public func serviceTypes(on connection: PostgresConnection) throws -> Set<String> {
        Set(try connection.query("SELECT code FROM service_types").map { try $0.decode(String.self) })
    }

    private func attach(provider id: Int64, services: [String], areas: [String], on connection: PostgresConnection)
        throws
    {
        do {
            try connection.execute(
                """
                INSERT INTO provider_services (provider_id, service)
                SELECT \(id), unnest(\(services)::text[]) ON CONFLICT DO NOTHING
                """)
        } catch let error as PostgresError where error.serverError?.kind == .foreignKeyViolation {
            throw StoreError.invalid(
                argument: "services",
                message: "services must be service types of the IASC list (got \(services.joined(separator: ",")))")
        }
        try connection.execute(
            """
            INSERT INTO provider_areas (provider_id, area) SELECT \(id), unnest(\(areas)::text[]) ON CONFLICT DO NOTHING
            """)
    }

    private func checkAreas(_ areas: [String]) throws {
        for area in areas where SubdivisionCode(area) == nil {
            throw StoreError.invalid(
                argument: "areas",
                message: "areas must be ISO 3166-2 codes of assigned countries like CO-ANT (got \(area))")
        }
    }

    static let select = SQLFragment(
        """
        SELECT p.id, o.name, p.status, p.capacity, p.minimum_age, p.maximum_age, p.description,
               coalesce((SELECT array_agg(service ORDER BY service) FROM provider_services WHERE provider_id = p.id), '{}'),
               coalesce((SELECT array_agg(area ORDER BY area) FROM provider_areas WHERE provider_id = p.id), '{}')
          FROM providers p JOIN organisations o ON o.id = p.organisation_id
        """)

    /// Reads a row of `select`.
    static func record(from row: PostgresRow) throws -> ProviderRecord {
        let (id, name, status, capacity, minimumAge, maximumAge, description, services, areas) =
            try row.decode((Int64, String, String, Int?, Int?, Int?, String?, [String], [String]).self)
        return ProviderRecord(
            id: id, name: name, status: status, capacity: capacity, minimumAge: minimumAge, maximumAge: maximumAge,
            description: description, services: services, areas: areas)
    }
}
