import PassageCore
import PassageServices

/// NeedService in memory, for the console's tests.
struct FakeNeedService: NeedService {
}
