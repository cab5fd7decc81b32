import Foundation
import Postgres
import Synchronization

/// What checking the anchors found.
public enum AuditAnchorCheck: Sendable, Equatable {
    /// Every anchored entry is still in the chain, as it was anchored.
    case holds(anchors: Int)
    /// The first anchor that no longer holds, and why.
    case broken(anchor: Int, entryID: Int64?, reason: String)
}

/// Anchors the audit chain outside the database (Docs/security.md "6. Audit"): the chain's
/// head, signed with a key only this process holds, appended to a file the database cannot
/// reach. `passage serve` anchors at start, at intervals, after each successful `AUDIT
/// VERIFY` and at shutdown; `AUDIT VERIFY` checks every anchor against the chain.
///
/// Entries appended after the newest anchor are covered by the hash chain alone until the
/// next anchor: the anchor interval is the window in which a rewrite of the newest entries
/// goes unnoticed.
public final class AuditAnchors: Sendable {
    public let path: String
    private let key: AuditAnchorKey
    private let file: AuditAnchorFile
    /// The last anchor written or read: the next one's number, and no second anchor for the
    /// same head. Also serialises writers within the process.
    private let last = Mutex<(sequence: Int, entryID: Int64)?>(nil)

    public static let defaultFileName = "audit-anchors"

    public init(path: String, key: AuditAnchorKey) {
        self.path = path
        self.key = key
        self.file = AuditAnchorFile(path: path)
    }

    /// The anchors file and key in `directory` (the embedded cluster's data directory), the
    /// key created on first use.
    public static func inDirectory(_ directory: String) throws -> AuditAnchors {
        try AuditAnchors.opening(
            path: directory + "/" + defaultFileName, keyPath: directory + "/" + AuditAnchorKey.defaultFileName)
    }

    /// The anchors file at `path` with its key at `keyPath`, the key created on first use. An
    /// anchors file whose key is gone is refused rather than given a new key: its anchors could
    /// never be checked again, which is what someone hiding a rewrite would want.
    public static func opening(path: String, keyPath: String) throws -> AuditAnchors {
        if !FileManager.default.fileExists(atPath: keyPath), FileManager.default.fileExists(atPath: path) {
            throw StoreError.unusable(
                "the audit anchors file \(path) exists but its key \(keyPath) is missing: restore the key from its backup (or move the anchors file aside, keep it, and record why)"
            )
        }
        return AuditAnchors(path: path, key: try AuditAnchorKey.loadOrCreate(at: keyPath))
    }

    /// Anchors the chain's current head; nil when the chain is empty or its head is already
    /// the newest anchor. The head is read in its own short statement; no lock is held.
    @discardableResult
    public func anchorHead(on connection: PostgresConnection, now: Date = Date()) throws -> AuditAnchor? {
        let rows = try connection.query(
            """
            SELECT a.id, (extract(epoch FROM a.at) * 1000000)::bigint, a.hash
              FROM audit_chain_head h JOIN audit_log a ON a.id = h.last_id
            """)
        guard let row = rows.first else { return nil }
        let (entryID, micros, hash) = try row.decode((Int64, Int64, String).self)
        return try last.withLock { last -> AuditAnchor? in
            if last == nil { last = try newest() }
            if let known = last, known.entryID == entryID { return nil }
            let anchor = AuditAnchor(
                sequence: (last?.sequence ?? 0) + 1, entryID: entryID, entryMicroseconds: micros, hash: hash,
                writtenAt: now)
            try file.append(anchor.line(signedWith: key))
            last = (anchor.sequence, entryID)
            return anchor
        }
    }

    /// The newest anchor in the file, whatever its signature (a bad one is reported by `check`).
    private func newest() throws -> (sequence: Int, entryID: Int64)? {
        guard let line = try file.lines().last else { return nil }
        let fields = Dictionary(
            line.split(separator: " ").compactMap { word -> (String, String)? in
                guard let equals = word.firstIndex(of: "=") else { return nil }
                return (String(word[..<equals]), String(word[word.index(after: equals)...]))
            }, uniquingKeysWith: { first, _ in first })
        guard let sequence = fields["seq"].flatMap(Int.init), let entry = fields["entry"].flatMap(Int64.init) else {
            return nil
        }
        return (sequence, entry)
    }

    /// Checks every anchor: its signature, its number (none missing before it), and that the
    /// entry it names is still in the chain with the same time and hash. A chain rewritten
    /// by the database's owner (an entry deleted or edited, every hash after it recomputed),
    /// or cut shorter than the newest anchor, fails at the first anchor after the change.
    public func check(on connection: PostgresConnection) throws -> AuditAnchorCheck {
        let lines = try file.lines()
        // This process knows how many anchors it wrote or read: a file that has fewer now was
        // truncated, or deleted and begun again, behind its back.
        if let known = last.withLock({ $0 }), lines.count < known.sequence {
            return .broken(
                anchor: lines.count + 1, entryID: nil,
                reason:
                    "\(path) holds \(lines.count) anchor lines but this server wrote or read \(known.sequence) (the file was truncated or replaced)"
            )
        }
        var anchors: [AuditAnchor] = []
        for (index, line) in lines.enumerated() {
            let anchor: AuditAnchor
            do {
                anchor = try AuditAnchor.parse(line, key: key)
            } catch {
                let what =
                    error == .badSignature
                    ? "its signature does not match (forged or edited, or signed with another key)"
                    : "it is not a well-formed anchor line"
                return .broken(anchor: index + 1, entryID: nil, reason: "line \(index + 1) of \(path): \(what)")
            }
            guard anchor.sequence == index + 1 else {
                return .broken(
                    anchor: index + 1, entryID: anchor.entryID,
                    reason: "line \(index + 1) of \(path) is numbered \(anchor.sequence) (anchor lines were removed)")
            }
            anchors.append(anchor)
        }
        guard !anchors.isEmpty else { return .holds(anchors: 0) }
        let rows = try connection.query(
            """
            SELECT id, (extract(epoch FROM at) * 1000000)::bigint, hash FROM audit_log WHERE id = ANY(\(anchors.map { Int($0.entryID) }))
            """)
        var chain: [Int64: (micros: Int64, hash: String)] = [:]
        for row in rows {
            let (id, micros, hash) = try row.decode((Int64, Int64, String).self)
            chain[id] = (micros, hash)
        }
        for anchor in anchors {
            let when = AuditAnchor.time(anchor.writtenAt)
            guard let entry = chain[anchor.entryID] else {
                return .broken(
                    anchor: anchor.sequence, entryID: anchor.entryID,
                    reason:
                        "anchor \(anchor.sequence) (written \(when)) names entry \(anchor.entryID), which is no longer in the chain (entries were deleted or the chain was cut short)"
                )
            }
            guard entry.hash == anchor.hash, entry.micros == anchor.entryMicroseconds else {
                return .broken(
                    anchor: anchor.sequence, entryID: anchor.entryID,
                    reason:
                        "anchor \(anchor.sequence) (written \(when)) no longer matches entry \(anchor.entryID): the chain up to it was rewritten"
                )
            }
        }
        last.withLock { $0 = (anchors[anchors.count - 1].sequence, anchors[anchors.count - 1].entryID) }
        return .holds(anchors: anchors.count)
    }
}
