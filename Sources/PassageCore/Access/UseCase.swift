/// Who may do what, declared once for every interface (issue 20: "no rule written twice").
/// Each case is one thing a signed-in person can ask of Passage; its raw value is the console
/// command that asks it (shared/spec/console.md), which the HTTP API's operations also name, so
/// a test can check that both interfaces offer the same operations to the same roles.
/// The console's command table, the HTTP operation table and the OpenAPI document all read
/// `roles` from here.
public enum UseCase: String, CaseIterable, Sendable {
    case openCase = "CASE NEW"
    case showCase = "CASE SHOW"
    case changeCase = "CASE SET"
    case overrideCategory = "CASE OVERRIDE"
    case listCases = "CASE LIST"
    case closeCase = "CASE CLOSE"
    case reopenCase = "CASE REOPEN"
    case recordPerson = "PERSON SET"
    case showPerson = "PERSON SHOW"
    case searchPersons = "PERSON SEARCH"
    case addNeed = "NEED ADD"
    case listNeeds = "NEED LIST"
    case setNeedStatus = "NEED SET"
    case refer = "REFER"
    case moveReferral = "REFERRAL SET"
    case listReferrals = "REFERRAL LIST"
    case showReferral = "REFERRAL SHOW"
    case registerProvider = "PROVIDER ADD"
    case listProviders = "PROVIDER LIST"
    case showProvider = "PROVIDER SHOW"
    case addProviderLocation = "PROVIDER LOCATION"
    case addProviderPhone = "PROVIDER PHONE"
    case addProviderContact = "PROVIDER CONTACT"
    case removeProviderContactPoint = "PROVIDER REMOVE"
    case statistics = "STATS"
    case gaps = "GAPS"
    case report = "REPORT"
    case notices = "NOTICES"
    case confirmUser = "USER CONFIRM"
    case addUser = "USER ADD"
    case setPassword = "USER PASSWD"
    case lockUser = "USER LOCK"
    case unlockUser = "USER UNLOCK"
    case setRole = "USER ROLE"
    case removeUser = "USER REMOVE"
    case listUsers = "USER LIST"
    case auditTail = "AUDIT TAIL"
    case auditVerify = "AUDIT VERIFY"
    case personAccess = "AUDIT PERSON"
    case proposeTransfer = "TRANSFER PROPOSE"
    case requestTransfer = "TRANSFER REQUEST"
    case acceptTransfer = "TRANSFER ACCEPT"
    case declineTransfer = "TRANSFER DECLINE"
    case cancelTransfer = "TRANSFER CANCEL"
    case listTransfers = "TRANSFER LIST"
    case caseOwners = "TRANSFER HISTORY"
    case mergePersons = "PERSON MERGE"
    case unmergePersons = "PERSON UNMERGE"
    case listDuplicates = "DUPLICATE LIST"
    case confirmDuplicate = "DUPLICATE CONFIRM"
    case rejectDuplicate = "DUPLICATE REJECT"
    case duplicateRate = "DUPLICATE RATE"

    case erasePerson = "PERSON ERASE"
    case setRetention = "ORG RETENTION"

    /// The roles allowed to ask it (shared/spec/console.md "Roles").
    public var roles: Set<Role> {
        switch self {
        case .openCase, .showCase, .changeCase, .listCases, .recordPerson, .showPerson, .addNeed, .listNeeds,
            .setNeedStatus, .refer, .moveReferral, .listReferrals, .showReferral, .searchPersons:
            Role.casework
        // A supervisor's decisions: overriding the classifier, confirming an account an
        // administrator added, reading the organisation's notices.
        case .overrideCategory, .notices, .confirmUser: [.supervisor]
        // A caseworker closes (a supervisor where the organisation says so, checked by the
        // service); reopening a closed case is a supervisor's decision (Docs/case-life.md).
        case .closeCase: Role.casework
        case .reopenCase: [.supervisor]
        // A case changes hands by a supervisor's decision on the side that did not ask
        // (Docs/transfers.md); caseworkers propose, request, cancel and list.
        case .proposeTransfer, .requestTransfer, .cancelTransfer, .listTransfers, .caseOwners: Role.casework
        case .acceptTransfer, .declineTransfer: [.supervisor]
        // Merging records and deciding whether two records are one person are a supervisor's
        // decisions (Docs/finding-persons.md); so is the data-quality review of duplicates.
        case .mergePersons, .unmergePersons, .listDuplicates, .confirmDuplicate, .rejectDuplicate, .duplicateRate:
            [.supervisor]
        // Erasing a person on request is the owning organisation's supervisor's decision; the
        // retention period is set by its administrator (Docs/case-life.md).
        case .erasePerson: [.supervisor]
        case .setRetention: [.admin]
        // The provider directory is what casework refers to; administrators keep it.
        case .listProviders: Role.casework.union([.admin])
        // How to reach a provider is read where the directory is; kept by those who keep it.
        case .showProvider: Role.casework.union([.admin])
        case .addProviderLocation, .addProviderPhone, .addProviderContact, .removeProviderContactPoint: [.admin]
        case .statistics, .gaps, .report: Role.aggregateOnly
        case .registerProvider, .addUser, .setPassword, .lockUser, .unlockUser, .setRole, .removeUser, .listUsers,
            .auditTail, .auditVerify:
            [.admin]
        // "Who saw my data" lists users, times and commands, never case contents: the
        // administrator's, who keeps the audit trail and answers the data-protection officer.
        case .personAccess: [.admin]
        }
    }

    public func allows(_ role: Role) -> Bool { roles.contains(role) }
}
