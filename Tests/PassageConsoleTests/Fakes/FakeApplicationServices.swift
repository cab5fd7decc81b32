import PassageServices

/// The application services of the console's own tests: one fake per area (each in its own file
/// beside this one), so the console layer is exercised without a database.
enum FakeApplicationServices {
    static func make() -> ApplicationServices {
        ApplicationServices(
            cases: FakeCaseService(), people: FakePersonService(), needs: FakeNeedService(),
            referrals: FakeReferralService(), providers: FakeProviderService(), users: FakeUserService(),
            signIn: FakeSignInService(), audit: FakeAuditService(), statistics: FakeStatisticsService(),
            gaps: FakeGapsService())
    }
}
