import Foundation
import Logging
import PassageStore

/// The keyring beside the case database (Docs/operations.md "The keyring").
extension PassageDatabase {
    /// Opens (the embedded keyring cluster started) the keyring of this database; nil with an
    /// existing server and no `--keyring-url`.
    func openKeyring(logger: Logger) throws -> KeyringDatabase? {
        try KeyringDatabase.open(
            for: opened.location, url: keyringURL, caseConninfo: opened.conninfo, logger: logger)
    }
}
