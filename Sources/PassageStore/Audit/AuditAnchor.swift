import Foundation

/// One anchor: the audit chain's head at a moment (the newest entry's id, time and hash),
/// numbered and signed with `AuditAnchorKey`. A later rewrite of the chain by someone who can
/// write the database (delete an entry, recompute every hash after it) changes the hash of
/// every anchored entry after the change, and cannot produce a matching signature.
///
/// One line of the anchors file:
/// `anchor v1 seq=3 entry=42 at=1764921600123456 hash=<64 hex> written=2026-12-05T08:00:00Z hmac=<64 hex>`
/// (`at`: the entry's time in microseconds since 1970, exactly as the chain's hash covers it.)
public struct AuditAnchor: Sendable, Equatable {
    /// 1, 2, 3 … in the file: a line removed from the middle leaves a gap.
    public let sequence: Int
    public let entryID: Int64
    public let entryMicroseconds: Int64
    public let hash: String
    public let writtenAt: Date

    public init(sequence: Int, entryID: Int64, entryMicroseconds: Int64, hash: String, writtenAt: Date) {
        self.sequence = sequence
        self.entryID = entryID
        self.entryMicroseconds = entryMicroseconds
        self.hash = hash
        self.writtenAt = writtenAt
    }

    /// What the signature covers: every field, one per line, after a domain label.
    var signedText: String {
        "passage audit anchor v1\n\(sequence)\n\(entryID)\n\(entryMicroseconds)\n\(hash)\n\(Self.time(writtenAt))"
    }

    func line(signedWith key: AuditAnchorKey) -> String {
        "anchor v1 seq=\(sequence) entry=\(entryID) at=\(entryMicroseconds) hash=\(hash) written=\(Self.time(writtenAt)) hmac=\(key.sign(signedText))"
    }

    public enum LineError: Error, Equatable {
        case malformed
        case badSignature
    }

    /// Parses and checks one line.
    static func parse(_ line: String, key: AuditAnchorKey) throws(LineError) -> AuditAnchor {
        let words = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        guard words.count == 8, words[0] == "anchor", words[1] == "v1" else { throw .malformed }
        var fields: [String: String] = [:]
        for word in words.dropFirst(2) {
            guard let equals = word.firstIndex(of: "=") else { throw .malformed }
            fields[String(word[..<equals])] = String(word[word.index(after: equals)...])
        }
        guard let sequence = fields["seq"].flatMap(Int.init), let entryID = fields["entry"].flatMap(Int64.init),
            let micros = fields["at"].flatMap(Int64.init), let hash = fields["hash"], hash.count == 64,
            let written = fields["written"].flatMap(parseTime), let signature = fields["hmac"]
        else { throw .malformed }
        let anchor = AuditAnchor(
            sequence: sequence, entryID: entryID, entryMicroseconds: micros, hash: hash, writtenAt: written)
        guard key.isValid(signature: signature, of: anchor.signedText) else { throw .badSignature }
        return anchor
    }

    static func time(_ date: Date) -> String {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)).formatted(.iso8601)
    }

    static func parseTime(_ text: String) -> Date? {
        try? Date(text, strategy: .iso8601)
    }
}
