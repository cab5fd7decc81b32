import PassageCore
import PassageServices

/// UserService in memory, for the console's tests.
struct FakeUserService: UserService {
}
