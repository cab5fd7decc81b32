import PassageCore
import PassageServices

/// CaseService in memory, for the console's tests.
struct FakeCaseService: CaseService {
}
