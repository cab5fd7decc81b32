import PassageCore
import PassageServices

/// PersonService in memory, for the console's tests.
struct FakePersonService: PersonService {
}
