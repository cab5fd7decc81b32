import Logging
import PassageStore

/// Writes refusals (530, 550) to the audit log as `access.refused` entries, within the
/// `RefusalLimiter`'s budget. The entry's subject is the first record the line named (or the
/// command when it named none); its detail holds the command, the reply code, every id the line
/// named, and how many refusals of this user went unwritten since the last entry. A failed
/// write does not change the refusal the client gets; it is logged.
struct StoreRefusalAudit: RefusalAudit {
    let store: StoreCall
    let limiter: RefusalLimiter
    let logger: Logger

    func record(_ refusal: Refusal, session: Session) async {
        let suppressed: Int
        switch limiter.decide(refusal) {
        case .suppress(let first):
            if first {
                logger.notice("refusals of one user beyond the audit budget are counted, not written, for the rest of the minute",
                              metadata: ["user": "\(refusal.user)", "command": "\(refusal.command)", "code": "\(refusal.code)"])
            }
            return
        case .write(let count):
            suppressed = count
        }
        let source = session.source
        let subject = refusal.targets.first ?? "command:" + refusal.command.lowercased().replacingOccurrences(of: " ", with: ".")
        var text = "\(refusal.command) \(refusal.code)"
        if !refusal.targets.isEmpty { text += " " + refusal.targets.joined(separator: " ") }
        if suppressed > 0 { text += "; \(suppressed) more refusals not written" }
        let detail = text
        do {
            try await store.transaction { connection in
                try AuditLog.append(actor: refusal.user, action: .accessRefused, subject: subject, source: source, detail: detail,
                                    on: connection)
            }
        } catch {
            logger.error("could not audit a refusal", metadata: ["user": "\(refusal.user)", "command": "\(refusal.command)",
                                                                 "error": "\(error)"])
        }
    }
}
