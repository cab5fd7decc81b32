import PassageCore
import PassageServices

/// ReferralService in memory, for the console's tests.
struct FakeReferralService: ReferralService {
}
