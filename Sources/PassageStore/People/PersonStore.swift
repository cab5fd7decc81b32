import Foundation
import Postgres

/// Who a case is about. Only caseworkers of the owning organisation ever read these.
public struct PersonalIdentifiers: Codable, Sendable, Equatable {
    public var names: [String]
    public var dateOfBirth: String?
    public var phone: String?
    public var documents: [String]

    public init(names: [String] = [], dateOfBirth: String? = nil, phone: String? = nil, documents: [String] = []) {
        self.names = names
        self.dateOfBirth = dateOfBirth
        self.phone = phone
        self.documents = documents
    }

    enum CodingKeys: String, CodingKey {
        case names, phone, documents
        case dateOfBirth = "date_of_birth"
    }
}

/// Stores personal identifiers sealed in this process (`PersonalDataCipher`, AES-256-GCM):
/// the database receives and returns ciphertext only, never the key nor the clear text, so no
/// statement log can hold them. The table holds ciphertext only.
public struct PersonStore: Sendable {
    let key: PIIKey

    public init(key: PIIKey) { self.key = key }

    /// Sets the identifiers of case `caseID` (creating the person on first use).
    public func record(
        _ identifiers: PersonalIdentifiers, caseID: Int64, organisation: Int64, on connection: PostgresConnection
    ) throws {
        let sealed = try key.cipher.seal(identifiers, organisation: organisation)
        let rows = try connection.query(
            """
            SELECT person_id, closed_at IS NOT NULL FROM cases
             WHERE id = \(caseID) AND organisation_id = \(organisation) FOR UPDATE
            """)
        guard let row = rows.first else { throw StoreError.notFound("case \(caseID)") }
        let (person, closed) = try row.decode((Int64?, Bool).self)
        // A closed case is read-only (Docs/case-life.md); its person's update does not pass
        // through the cases row the closure triggers guard, so it is refused here.
        guard !closed else { throw StoreError.conflict("case \(caseID) is closed; reopen it first (CASE REOPEN)") }
        if let personID = person {
            try connection.execute(
                """
                UPDATE persons SET identifiers = \(sealed), updated_at = now()
                 WHERE id = \(personID)
                """)
        } else {
            try connection.execute(
                """
                WITH person AS (
                    INSERT INTO persons (organisation_id, identifiers)
                    VALUES (\(organisation), \(sealed))
                    RETURNING id)
                UPDATE cases SET person_id = (SELECT id FROM person) WHERE id = \(caseID)
                """)
        }
    }

    /// The identifiers of case `caseID`, or nil when none were recorded.
    public func read(caseID: Int64, organisation: Int64, on connection: PostgresConnection) throws
        -> PersonalIdentifiers?
    {
        let rows = try connection.query(
            """
            SELECT c.id, p.identifiers
              FROM cases c LEFT JOIN persons p ON p.id = c.person_id
             WHERE c.id = \(caseID) AND c.organisation_id = \(organisation)
            """)
        guard let row = rows.first else { throw StoreError.notFound("case \(caseID)") }
        guard let sealed = try row.decode((Int64, [UInt8]?).self).1 else { return nil }
        return try key.cipher.open(sealed, organisation: organisation)
    }
}
