import Crypto
import Foundation
import PassageStore

/// The personal-data key as the backup commands see it: where it is, and its fingerprint
/// (SHA-256 of the key's text, trimmed as Passage reads it; never the key itself). `passage
/// backup` records the fingerprint in the backup's annotation, `passage restore` compares it
/// with the key at hand, so a restore never ends with names nobody can open. The annotation
/// sits in the repository's backup.info, which the repository's passphrase encrypts.
public struct PersonalDataKeyAtHand {
    public static let annotationKey = "pii-key-sha256"

    /// Where the key came from: a file's path, or the environment variable.
    public let origin: String
    public let path: String?
    public let fingerprint: String

    public var shortFingerprint: String { String(fingerprint.prefix(16)) }

    /// The key the server would use: `--pii-key-file`, else `PASSAGE_PII_KEY`, else the data
    /// directory's `pii.key`. Nil when there is none (never generated here).
    public static func locate(file: String?, environment: [String: String], dataDirectory: String) throws
        -> PersonalDataKeyAtHand?
    {
        if let file {
            let path = BackupConfigurationFile.absolute(file)
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw BackupError("cannot read the personal-data key file \(path)")
            }
            return try PersonalDataKeyAtHand(origin: path, path: path, text: text)
        }
        if let value = environment[PIIKey.environmentVariable], !value.isEmpty {
            return try PersonalDataKeyAtHand(origin: PIIKey.environmentVariable, path: nil, text: value)
        }
        let path = BackupConfigurationFile.absolute(dataDirectory) + "/" + PIIKey.defaultFileName
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return try PersonalDataKeyAtHand(origin: path, path: path, text: text)
    }

    public init(origin: String, path: String?, text: String) throws {
        do {
            _ = try PIIKey(secret: text)
        } catch {
            throw BackupError("the personal-data key from \(origin) is not usable: \(error)")
        }
        self.origin = origin
        self.path = path
        self.fingerprint = Self.fingerprint(of: text)
    }

    public static func fingerprint(of text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return SHA256.hash(data: Data(trimmed.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Where the key lies relative to what a backup copies and what a disaster takes.
    public enum Placement: Equatable {
        /// Outside the data directory (or not a file): backed up apart, as it should be.
        case apart
        /// In the data directory beside the cluster: not in a backup, but lost with the directory.
        case inDataDirectory
        /// Inside the cluster's own directory (PGDATA): every backup would carry it.
        case inCluster
    }

    public func placement(dataDirectory: String, clusterDirectory: String) -> Placement {
        guard let path else { return .apart }
        if BackupFiles.isInside(path, clusterDirectory) { return .inCluster }
        if BackupFiles.isInside(path, dataDirectory) { return .inDataDirectory }
        return .apart
    }

    /// Refuses a backup that would carry the key, or whose key would be lost with the data
    /// directory unless the operator says a copy is kept elsewhere.
    public func checkForBackup(dataDirectory: String, clusterDirectory: String, keptElsewhere: Bool) throws -> String? {
        switch placement(dataDirectory: dataDirectory, clusterDirectory: clusterDirectory) {
        case .apart:
            return nil
        case .inCluster:
            throw BackupError(
                "the personal-data key \(origin) lies inside the cluster's directory \(clusterDirectory): every backup would carry the key with the data it protects. Move it out (e.g. to /etc/passage/pii.key, mode 0600) and name it with pii-key-file."
            )
        case .inDataDirectory:
            let message =
                "the personal-data key \(origin) lies in the data directory: a disaster that takes the data directory takes the key, and without it no backup opens a name, date of birth or document number. Keep a copy elsewhere (better: move it to /etc/passage/pii.key and set pii-key-file in passage.conf)."
            guard keptElsewhere else {
                throw BackupError(message + " If a copy is kept elsewhere, say so with --key-kept-elsewhere.")
            }
            return "WARNING: " + message
        }
    }
}
