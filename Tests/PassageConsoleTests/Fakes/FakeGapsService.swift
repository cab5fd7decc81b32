import PassageCore
import PassageServices

/// GapsService in memory, for the console's tests.
struct FakeGapsService: GapsService {
}
