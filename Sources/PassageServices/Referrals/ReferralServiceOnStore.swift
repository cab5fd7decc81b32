import PassageCore
import PassageStore
import Postgres

/// ReferralService over PassageStore: each use case one transaction with its scope and audit entry.
struct ReferralServiceOnStore: ReferralService {
    let store: StoreWork
    let referrals: ReferralStore
    let bulkReads: BulkReadLimit?

    /// How often REFER runs again when a concurrent request with the same idempotency key
    /// committed first (then the next attempt finds and returns that request's referral).
    static let attempts = 3

    func refer(_ referral: NewReferral, by actor: Actor) async throws(ServiceError) -> ReferralMade {
        try actor.require(.refer)
        let consent: ReferralConsent
        do {
            consent = try ConsentGate.decide(
                consented: referral.consented, override: referral.override, by: actor.name, role: actor.role)
        } catch {
            throw Self.serviceError(error)
        }
        let order = ReferralOrder(
            caseID: referral.caseID, needID: referral.needID, providerID: referral.providerID,
            priority: referral.priority?.rawValue, consent: consent, caregiverInformed: referral.caregiverInformed,
            service: referral.service?.rawValue, idempotencyKey: referral.idempotencyKey, note: referral.note)
        let referrals = self.referrals
        // The store writes the referral's audit entries and commits with its insert (two round
        // trips to PostgreSQL in all: Docs/performance.md "REFER"). Nil: a concurrent REFER with
        // the same key committed first and this transaction committed nothing.
        for _ in 0..<Self.attempts {
            let made = try await store.scoped(actor) { connection, organisation in
                try referrals.refer(
                    order, organisation: organisation, actor: actor.name, source: actor.source, on: connection)
            }
            if let made { return made }
        }
        throw .conflict("idempotency key \(order.idempotencyKey ?? "") is in use; retry")
    }

    func move(_ change: ReferralChange, by actor: Actor) async throws(ServiceError) -> ReferralMoved {
        try actor.require(.moveReferral)
        let request: ReferralRequest
        do {
            request = try ReferralRequest(status: change.status, outcome: change.outcome, reason: change.reason)
        } catch {
            throw .badArgument(argument: error.argument, message: error.description)
        }
        let referrals = self.referrals
        return try await store.scoped(actor) { connection, organisation in
            let moved = try referrals.move(
                id: change.referral, by: request.event, expectedVersion: change.expectedVersion, note: change.note,
                organisation: organisation, actor: actor.name, on: connection)
            try AuditLog.append(
                actor: actor.name, action: .referralMoved(by: request.event), subject: "referral:\(change.referral)",
                source: actor.source, detail: Self.moveDetail(moved), on: connection)
            return moved
        }
    }

    func list(_ filter: ReferralFilter, by actor: Actor) async throws(ServiceError) -> [ReferralView] {
        try actor.require(.listReferrals)
        let referrals = self.referrals
        return try await bulkReads.reading(by: actor) { () async throws(ServiceError) -> [ReferralView] in
            try await store.scoped(actor) { connection, organisation in
                let list = try referrals.list(filter, organisation: organisation, on: connection)
                try AuditLog.append(
                    actor: actor.name, action: .referralList, subject: "organisation:\(actor.organisation)",
                    source: actor.source, detail: "\(list.count) referrals", on: connection)
                return list
            }
        }
    }

    func show(_ referral: Int64, by actor: Actor) async throws(ServiceError) -> ReferralDetail {
        try actor.require(.showReferral)
        let referrals = self.referrals
        return try await store.scoped(actor) { connection, organisation in
            let (view, events) = try referrals.show(id: referral, organisation: organisation, on: connection)
            try AuditLog.append(
                actor: actor.name, action: .referralRead, subject: "referral:\(referral)", source: actor.source,
                detail: view.contact == nil ? "" : "contact details shown", on: connection)
            return ReferralDetail(referral: view, events: events)
        }
    }

    /// `pending → accepted`, `accepted → completed unsuccessful (unable_to_contact_client)`.
    static func moveDetail(_ moved: ReferralMoved) -> String {
        var detail = "\(moved.from.rawValue) → \(moved.state.status.rawValue)"
        if let outcome = moved.state.outcome { detail += " \(outcome)" }
        if let reason = moved.state.reason { detail += " (\(reason))" }
        return detail
    }

    /// The consent gate's refusal, as the interfaces act on it.
    static func serviceError(_ refusal: ConsentRefusal) -> ServiceError {
        switch refusal {
        case .overrideWithConsent, .emptyReason: .badArgument(argument: "override", message: refusal.description)
        case .consentRequired: .consentRequired(refusal.description)
        case .notSupervisor: .permissionDenied(refusal.description)
        }
    }
}
