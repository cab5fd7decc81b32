import Foundation
import Logging
import PassageCore
import PassageStore
import Postgres

/// AuditService over PassageStore. Entries reference records (ids, codes, counts); they never
/// copy personal data or free text, so the trail is safe to show to an administrator who may
/// not read cases.
struct AuditServiceOnStore: AuditService {
    let store: StoreWork
    /// The chain's anchors outside the database; nil when the server keeps none.
    let anchors: AuditAnchors?
    let bulkReads: BulkReadLimit?
    let refusals: RefusalLimiter
    var logger = Logger(label: "passage.audit")

    func tail(_ count: Int, by actor: Actor) async throws(ServiceError) -> [AuditEntry] {
        try actor.require(.auditTail)
        return try await bulkReads.reading(by: actor) { () async throws(ServiceError) -> [AuditEntry] in
            try await store.transaction(actor) { try AuditLog.tail(count, on: $0) }
        }
    }

    /// A chain that holds together but was rewritten by someone with write access to the
    /// database fails at the first anchor after the rewrite; anchoring again after each
    /// verification narrows the window an undetected rewrite of the newest entries could use.
    func verify(by actor: Actor) async throws(ServiceError) -> AuditChainIntact {
        try actor.require(.auditVerify)
        let anchors = self.anchors
        let outcome = try await store.transaction(actor) { connection -> (AuditVerification, AuditAnchorCheck?) in
            let chain = try AuditLog.verify(on: connection)
            guard case .intact = chain, let anchors else { return (chain, nil) }
            let check = try anchors.check(on: connection)
            if case .holds = check { try anchors.anchorHead(on: connection) }
            return (chain, check)
        }
        switch outcome {
        case (.broken(let id, let reason), _):
            throw .conflict("audit chain broken at entry \(id): \(reason)")
        case (.intact, .broken(_, _, let reason)?):
            throw .conflict("audit chain rewritten: \(reason)")
        case (.intact(let entries), .holds(let count)?):
            return AuditChainIntact(entries: entries, anchors: count)
        case (.intact(let entries), nil):
            return AuditChainIntact(entries: entries, anchors: nil)
        }
    }

    /// The entry's subject is the first record the request named (or the command when it named
    /// none); its detail holds the command, the refusal code, every id named, and how many
    /// refusals of this user went unwritten since the last entry.
    func recordRefusal(_ refusal: Refusal, source: String) async {
        let suppressed: Int
        switch refusals.decide(refusal) {
        case .suppress(let first):
            if first {
                logger.notice(
                    "refusals of one user beyond the audit budget are counted, not written, for the rest of the minute",
                    metadata: ["user": "\(refusal.user)", "command": "\(refusal.command)", "code": "\(refusal.code)"])
            }
            return
        case .write(let count):
            suppressed = count
        }
        let subject =
            refusal.targets.first ?? "command:" + refusal.command.lowercased().replacingOccurrences(of: " ", with: ".")
        var text = "\(refusal.command) \(refusal.code)"
        if !refusal.targets.isEmpty { text += " " + refusal.targets.joined(separator: " ") }
        if suppressed > 0 { text += "; \(suppressed) more refusals not written" }
        let detail = text
        do {
            // No session check: the refusal is recorded even for a session that just ended.
            try await store.transaction(nil) { connection in
                try AuditLog.append(
                    actor: refusal.user, action: .accessRefused, subject: subject, source: source, detail: detail,
                    on: connection)
            }
        } catch {
            logger.error(
                "could not audit a refusal",
                metadata: [
                    "user": "\(refusal.user)", "command": "\(refusal.command)",
                    "error": "\(error)",
                ])
        }
    }
}
