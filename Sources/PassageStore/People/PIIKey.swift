import Foundation

/// The key under which personal identifiers are encrypted: in this process, with AES-256-GCM
/// under a key derived from it (`PersonalDataCipher`).
///
/// It lives outside the database, so a copy of the database alone (a dump, a stolen disk
/// image of the cluster) does not reveal who anyone is, and it is never sent to the database
/// (but once, by `LegacyIdentifierMigration`, to open what pgp_sym_encrypt sealed before, with
/// that session's statement logging off). It is never logged: `description` hides it.
public struct PIIKey: Sendable, CustomStringConvertible {
    let secret: String
    /// The texts of the previous keys this one also opens under (`opening(alsoUnder:)`), newest
    /// first: a search during a rotation looks the blind index up under their index keys too.
    let previousSecrets: [String]
    /// What seals and opens identifiers; derived once.
    let cipher: PersonalDataCipher
    /// Where each person's own key is kept (`pd2:`); nil: identifiers are sealed under this key
    /// itself (`pd1:`), as before the keyring, and no person can be erased by crypto-shredding.
    public let keyring: PersonKeyring?

    public init(secret: String) throws {
        let trimmed = secret.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.utf8.count >= 32 else {
            throw StoreError.unusable(
                "the personal-data key must be at least 32 characters (got \(trimmed.utf8.count))")
        }
        self.secret = trimmed
        self.cipher = PersonalDataCipher(secret: trimmed)
        self.keyring = nil
        self.previousSecrets = []
    }

    private init(secret: String, previousSecrets: [String], cipher: PersonalDataCipher, keyring: PersonKeyring?) {
        self.secret = secret
        self.previousSecrets = previousSecrets
        self.cipher = cipher
        self.keyring = keyring
    }

    /// This key, sealing each person under a key of their own kept in `keyring`.
    public func using(keyring: PersonKeyring) -> PIIKey {
        PIIKey(secret: secret, previousSecrets: previousSecrets, cipher: cipher, keyring: keyring)
    }

    /// This key, also opening what `previous` sealed: the server and `passage pii-key rotate`
    /// during a rotation (`--pii-previous-key-file`). It still seals with this key only.
    public func opening(alsoUnder previous: PIIKey) throws -> PIIKey {
        guard !cipher.hasSameKey(as: previous.cipher) else {
            throw StoreError.unusable(
                "the previous personal-data key is the current one: --pii-previous-key-file must name the key being replaced"
            )
        }
        return PIIKey(
            secret: secret, previousSecrets: previousSecrets + [previous.secret] + previous.previousSecrets,
            cipher: cipher.opening(alsoUnder: previous.cipher), keyring: keyring)
    }

    /// Whether previous keys are held (a rotation under way).
    public var hasPreviousKeys: Bool { cipher.previousKeyCount > 0 }

    public var description: String { "PIIKey(***)" }

    public static let environmentVariable = "PASSAGE_PII_KEY"
    public static let defaultFileName = "pii.key"

    /// From `--pii-key-file`, else `PASSAGE_PII_KEY`, else (embedded cluster only) the file
    /// `pii.key` in the data directory, generated with mode 0600 on first start.
    public static func load(
        file: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
        embeddedDirectory: String?
    ) throws -> PIIKey {
        if let file { return try read(file) }
        if let value = environment[environmentVariable], !value.isEmpty { return try PIIKey(secret: value) }
        guard let embeddedDirectory else {
            throw StoreError.unusable(
                "no personal-data key: pass --pii-key-file FILE or set \(environmentVariable) (needed with --database-url)"
            )
        }
        let path = embeddedDirectory + "/" + defaultFileName
        if FileManager.default.fileExists(atPath: path) { return try read(path) }
        return try generate(at: path)
    }

    /// The key in the file at `path`, refused when others may read the file.
    public static func read(_ path: String) throws -> PIIKey {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw StoreError.unusable("cannot read the personal-data key file \(path)")
        }
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let mode = attributes?[.posixPermissions] as? Int, mode & 0o077 != 0 {
            throw StoreError.unusable(
                "the personal-data key file \(path) is readable by others (mode \(String(mode, radix: 8))): chmod 600 it"
            )
        }
        return try PIIKey(secret: text)
    }

    /// A new key of 64 hex digits in a new file at `path` (mode 0600); an error, and the file
    /// left alone, when it exists (`passage pii-key generate`).
    @discardableResult
    public static func generate(at path: String) throws -> PIIKey {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let secret = bytes.map { String(format: "%02x", $0) }.joined()
        // Created with 0600 from the start: never a moment where the key is world-readable.
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw StoreError.unusable(
                "cannot create the personal-data key file \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        let line = secret + "\n"
        let written = line.withCString { write(descriptor, $0, strlen($0)) }
        guard written == line.utf8.count else {
            throw StoreError.unusable("cannot write the personal-data key file \(path)")
        }
        return try PIIKey(secret: secret)
    }
}
