import PassageCore
import PassageServices

/// ProviderService in memory, for the console's tests.
struct FakeProviderService: ProviderService {
}
