import Foundation
import Logging
import PassageStore
import Postgres

/// The store's rotation types, for the command line (which sees the store through the services).
public typealias PersonalDataKeyRotationReport = PersonalDataKeyRotation.Report
public typealias PersonalDataKeyRotationProgress = PersonalDataKeyRotation.Progress

/// The personal-data key's start check and its rotation (Docs/operations.md "Rotating the
/// personal-data key").
extension PassageDatabase {
    /// Rows a rotation reads per batch.
    public static let keyRotationBatchSizes = PersonalDataKeyRotation.batchSizes

    /// Writes a new key (64 hex digits) to a new file with mode 0600; refuses an existing file.
    public static func generatePersonalDataKey(at path: String) throws {
        try PIIKey.generate(at: path)
    }

    /// Refuses a key under which none of a sample of the stored identifiers opens
    /// (`PersonalDataKeyCheck`).
    func checkPersonalDataKey(_ key: PIIKey, logger: Logger) throws {
        let connection = try maintenanceConnection()
        defer { connection.close() }
        try PersonalDataKeyCheck.run(key: key, on: connection, logger: logger)
    }

    /// Re-seals under the current key (`keyFile`, else `PASSAGE_PII_KEY`, else the embedded
    /// data directory's; never generated here) every value still under the key in
    /// `previousKeyFile`, audited under `operatorName`. `progress` after each batch.
    public func rotatePersonalDataKey(
        keyFile: String?, previousKeyFile: String, batchSize: Int, operatorName: String,
        progress: (PersonalDataKeyRotation.Progress) throws -> Void
    ) throws -> PersonalDataKeyRotation.Report {
        guard let current = try personalDataKey(file: keyFile, required: false, generating: false) else {
            throw StoreError.unusable(
                "no personal-data key: give the new key as --pii-key-file FILE (or PASSAGE_PII_KEY)")
        }
        var key = try current.opening(alsoUnder: PIIKey.read(previousKeyFile))
        // The keyring's entries are re-wrapped under the new key too (Docs/operations.md).
        let keyring = try openKeyring(logger: Logger(label: "passage.keyring"))
        defer { keyring?.close(stopCluster: false) }
        if let keyring { key = key.using(keyring: keyring.keyring) }
        return try PersonalDataKeyRotation(key: key, batchSize: batchSize).run(
            conninfo: opened.conninfo, actor: operatorName, progress: progress)
    }

    /// Gives every person still sealed under the personal-data key itself a key of their own
    /// in the keyring (`passage pii-key convert`), audited under `operatorName`. During a
    /// rotation `previousKeyFile` opens what the old key sealed.
    public func convertToPersonKeys(
        keyFile: String?, previousKeyFile: String?, batchSize: Int, operatorName: String
    ) throws -> (persons: Int, referralContacts: Int) {
        guard var key = try personalDataKey(file: keyFile, required: false, generating: false) else {
            throw StoreError.unusable("no personal-data key: give it as --pii-key-file FILE (or PASSAGE_PII_KEY)")
        }
        if let previousKeyFile { key = try key.opening(alsoUnder: PIIKey.read(previousKeyFile)) }
        guard let keyring = try openKeyring(logger: Logger(label: "passage.keyring")) else {
            throw StoreError.unusable(
                "no keyring: with an existing PostgreSQL give the keyring's database as --keyring-url (Docs/operations.md \"The keyring\")"
            )
        }
        defer { keyring.close(stopCluster: false) }
        let connection = try maintenanceConnection()
        defer { connection.close() }
        let report = try PersonKeyConversion(key: key.using(keyring: keyring.keyring), batchSize: batchSize).run(
            on: connection, actor: operatorName)
        return (report.persons, report.referralContacts)
    }
}
