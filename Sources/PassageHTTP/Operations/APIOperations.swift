/// Every operation of the API, one list per area (Operations/Areas/); the router and the
/// OpenAPI document both read this list, so an operation exists in both or in neither.
enum APIOperations {
    static var all: [APIOperation] {
        SessionOperations.all
            + CaseOperations.all + PersonOperations.all + ErasureOperations.all + NeedOperations.all
            + ReferralOperations.all + ProviderOperations.all + ProviderReachOperations.all + NoticeOperations.all
            + StatisticsOperations.all + GapsOperations.all + ReportOperations.all + ExportOperations.all + AuditOperations.all
            + ClosureOperations.all + TransferOperations.all + DuplicateOperations.all
    }
}
