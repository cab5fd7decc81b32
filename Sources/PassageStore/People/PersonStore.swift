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

    /// Sets the identifiers of case `caseID` (creating the person on first use). A person keeps
    /// their keyring entry across changes; a new person gets one (`PIIKey.sealPerson`).
    public func record(
        _ identifiers: PersonalIdentifiers, caseID: Int64, organisation: Int64, on connection: PostgresConnection
    ) throws {
        let rows = try connection.query(
            """
            SELECT c.person_id, c.closed_at IS NOT NULL, p.identifiers, p.erased_at IS NOT NULL
              FROM cases c LEFT JOIN persons p ON p.id = c.person_id
             WHERE c.id = \(caseID) AND c.organisation_id = \(organisation) FOR UPDATE OF c
            """)
        guard let row = rows.first else { throw StoreError.notFound("case \(caseID)") }
        let (person, closed, stored, erased) = try row.decode((Int64?, Bool, [UInt8]?, Bool?).self)
        // A closed case is read-only (Docs/case-life.md); its person's update does not pass
        // through the cases row the closure triggers guard, so it is refused here.
        guard !closed else { throw StoreError.conflict("case \(caseID) is closed; reopen it first (CASE REOPEN)") }
        guard erased != true else {
            throw StoreError.conflict(
                "the personal details of case \(caseID) were erased; nothing can be recorded for them")
        }
        let sealed = try key.sealPerson(identifiers, organisation: organisation, replacing: stored)
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

    /// The identifiers of case `caseID`, or nil when none were recorded; a conflict naming the
    /// erasure when the person was erased.
    public func read(caseID: Int64, organisation: Int64, on connection: PostgresConnection) throws
        -> PersonalIdentifiers?
    {
        switch try readStored(caseID: caseID, organisation: organisation, on: connection) {
        case .none: return nil
        case .identifiers(let identifiers): return identifiers
        case .erased: throw StoreError.conflict(Self.erasedMessage(caseID))
        }
    }

    /// What is stored for the person of case `caseID`: nothing, their identifiers, or the fact
    /// that they were erased (marked so here, or their keyring entry gone: a case database
    /// restored from a backup older than the erasure). One keyring lookup at most.
    public func readStored(caseID: Int64, organisation: Int64, on connection: PostgresConnection) throws
        -> StoredPerson
    {
        let rows = try connection.query(
            """
            SELECT c.id, p.identifiers, p.erased_at IS NOT NULL
              FROM cases c LEFT JOIN persons p ON p.id = c.person_id
             WHERE c.id = \(caseID) AND c.organisation_id = \(organisation)
            """)
        guard let row = rows.first else { throw StoreError.notFound("case \(caseID)") }
        let (_, stored, erased) = try row.decode((Int64, [UInt8]?, Bool?).self)
        guard let sealed = stored else { return .none }
        if erased == true { return .erased }
        switch try key.openPerson(sealed, organisation: organisation) {
        case .identifiers(let identifiers): return .identifiers(identifiers)
        case .erased: return .erased
        }
    }

    public static func erasedMessage(_ caseID: Int64) -> String {
        "the personal details of case \(caseID) were erased (crypto-shredded); the case's other facts remain"
    }
}

/// What a case's person holds.
public enum StoredPerson: Sendable, Equatable {
    case none
    case identifiers(PersonalIdentifiers)
    case erased
}
