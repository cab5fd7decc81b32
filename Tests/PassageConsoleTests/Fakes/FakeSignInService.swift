import PassageCore
import PassageServices

/// SignInService in memory, for the console's tests.
struct FakeSignInService: SignInService {
}
