import PassageCore
import PassageServices

/// StatisticsService in memory, for the console's tests.
struct FakeStatisticsService: StatisticsService {
}
