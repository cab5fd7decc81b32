import PassageCore

/// Every area's use cases, as the interfaces see them: one protocol per area, so an interface's
/// tests can hand in fakes (Hummingbird's repository pattern), and the real implementations
/// over the store are built in one place (`ApplicationServices.onStore`). Every member is
/// required: an interface cannot be built with an area missing.
public struct ApplicationServices: Sendable {
    public var cases: any CaseService
    public var people: any PersonService
    public var needs: any NeedService
    public var referrals: any ReferralService
    public var providers: any ProviderService
    public var users: any UserService
    public var signIn: any SignInService
    public var audit: any AuditService
    public var statistics: any StatisticsService
    public var gaps: any GapsService
    /// Readiness (console HEALTH, /readyz); `onStore` checks its pool and schema.
    public var health: any HealthService = HealthNotChecked()
    /// Case transfers between organisations (Docs/transfers.md); `onStore` builds the real one.
    public var transfers: any TransferService = TransfersNotAvailable()
    /// Merges and candidate duplicate pairs (Docs/finding-persons.md); `onStore` builds the real one.
    public var duplicates: any DuplicateService = DuplicatesNotAvailable()
    /// Retention and erasure (Docs/case-life.md); `onStore` builds the real one when a keyring is configured.
    public var erasure: any ErasureService = ErasureNotAvailable()
    /// The operator's ISO 3166-2 → OCHA P-code mapping (`passage serve --pcodes`): HXL outputs of
    /// STATS and GAPS, over the console, the API and the web pages, add an `area_pcode` column
    /// after each area when it is set (`HXLPlaceColumns`); nil: the ISO code only.
    public var placeCodes: PCodeMapping? = nil

    public init(
        cases: any CaseService, people: any PersonService, needs: any NeedService,
        referrals: any ReferralService, providers: any ProviderService, users: any UserService,
        signIn: any SignInService, audit: any AuditService, statistics: any StatisticsService,
        gaps: any GapsService
    ) {
        self.cases = cases
        self.people = people
        self.needs = needs
        self.referrals = referrals
        self.providers = providers
        self.users = users
        self.signIn = signIn
        self.audit = audit
        self.statistics = statistics
        self.gaps = gaps
    }
}
