import Foundation
import PassageCore
import PassageServices
import Synchronization

/// ReferralService in memory, for the console's tests: it records what each use case was
/// given, and refuses a referral without consent and without an override as the real consent
/// gate does (553), so the console's mapping can be checked.
final class FakeReferralService: ReferralService {
    private let calls = Mutex<[NewReferral]>([])

    /// The referrals asked for, oldest first.
    var referred: [NewReferral] { calls.withLock { $0 } }

    func refer(_ referral: NewReferral, by actor: Actor) async throws(ServiceError) -> ReferralMade {
        calls.withLock { $0.append(referral) }
        guard referral.consented || referral.override != nil else { throw .consentRequired("consent required") }
        return ReferralMade(
            id: 7, status: .pending, priority: referral.priority?.rawValue ?? "normal",
            dueAt: Date(timeIntervalSince1970: 0),
            version: 1, created: true)
    }

    func move(_ change: ReferralChange, by actor: Actor) async throws(ServiceError) -> ReferralMoved {
        ReferralMoved(id: change.referral, from: .pending, state: .accepted, version: 2)
    }

    func list(_ filter: ReferralFilter, by actor: Actor) async throws(ServiceError) -> [ReferralView] { [] }

    func show(_ referral: Int64, by actor: Actor) async throws(ServiceError) -> ReferralDetail {
        throw .notFound("referral \(referral) not found")
    }
}
