import Foundation
import Logging
import Postgres

/// The server's start check that its personal-data key is the one the stored identifiers were
/// sealed with: a wrong key file (another server's, a freshly generated one after the real one
/// was lost from the configuration) would otherwise start a server that answers every PERSON
/// SHOW and referral contact with an error, and seals new persons under a key the old ones
/// never open under.
///
/// A sample of the oldest and the newest sealed values is opened (during a rotation the oldest
/// may be under the previous key and the newest under the current one); when persons exist and
/// none of the sample opens under any configured key, the start is refused. Values that do not
/// open beside others that do are only counted in the log: one altered row is no reason to
/// refuse service to everyone.
public enum PersonalDataKeyCheck {
    /// Rows read from each end of `persons`.
    static let sampleEachEnd = 8

    /// How the sample came out: how many values were read and how many opened.
    public struct Sample: Sendable, Equatable {
        public var read: Int
        public var opened: Int
    }

    /// Throws when persons hold sealed values and none of the sample opens under `key`.
    /// Returns the sample; nil when this role sees no person and cannot say whether there are
    /// any (row-level security applies to it and it may not turn it off), in which case the
    /// check is left undone with a warning in the log.
    @discardableResult
    public static func run(key: PIIKey, on connection: PostgresConnection, logger: Logger) throws -> Sample? {
        let rows: PostgresRows
        do {
            // Under row-level security a role could see no row and pass the check unread: with
            // row_security off such a query fails instead.
            _ = try connection.query("SELECT set_config('row_security', 'off', false)")
            rows = try connection.query(sampleQuery)
        } catch let error as PostgresError where error.serverError?.sqlState == "42501" {
            // A service role that owns nothing (Docs/operations.md "External PostgreSQL with
            // least privilege"): what its policies let it see is still a sample of real rows.
            _ = try connection.query("SELECT set_config('row_security', 'on', false)")
            rows = try connection.query(sampleQuery)
            guard rows.count > 0 else {
                logger.warning(
                    "the personal-data key was not checked against the stored identifiers: this role sees no person and may not turn row-level security off (\(error))"
                )
                return nil
            }
        }
        var sample = Sample(read: 0, opened: 0)
        for row in rows {
            let (organisation, bytes) = try row.decode((Int64, [UInt8]).self)
            sample.read += 1
            if key.cipher.openClear(bytes, organisation: organisation) != nil { sample.opened += 1 }
        }
        guard sample.read == 0 || sample.opened > 0 else {
            throw StoreError.unusable(
                """
                the personal-data key does not open the stored identifiers: wrong key file? None of \(sample.read) \
                sampled persons opens under the configured key\(key.hasPreviousKeys ? "s" : ""). Give the key they \
                were sealed with as --pii-key-file (or PASSAGE_PII_KEY); during a rotation the new key as \
                --pii-key-file and the old one as --pii-previous-key-file
                """)
        }
        // Persons sealed under their own keys (`pd2:`) open through the keyring: a sample of its
        // entries must unwrap under the configured key(s).
        if let keyring = key.keyring {
            let entries = try keyring.sample(with: key.cipher, limit: 2 * sampleEachEnd)
            guard entries.read == 0 || entries.opened > 0 else {
                throw StoreError.unusable(
                    """
                    the personal-data key does not open the keyring: wrong key file, or another installation's \
                    keyring? None of \(entries.read) sampled keyring entries unwraps under the configured \
                    key\(key.hasPreviousKeys ? "s" : "")
                    """)
            }
        }
        if sample.opened < sample.read {
            logger.warning(
                "\(sample.read - sample.opened) of \(sample.read) sampled persons' identifiers open under none of the configured personal-data keys (another key, or altered rows)"
            )
        }
        return sample
    }

    static let sealed = SQLFragment("substring(identifiers FROM 1 FOR 4) = '\\x7064313a'::bytea")

    static var sampleQuery: PostgresQuery {
        """
        SELECT organisation_id, identifiers FROM (
            (SELECT id, organisation_id, identifiers FROM persons WHERE \(sealed) ORDER BY id LIMIT \(sampleEachEnd))
            UNION
            (SELECT id, organisation_id, identifiers FROM persons WHERE \(sealed) ORDER BY id DESC LIMIT \(sampleEachEnd))
        ) sample
        """
    }
}
