import PassageCore
import PassageServices

/// AuditService in memory, for the console's tests.
struct FakeAuditService: AuditService {
}
