/// What an audit entry records. The raw values are the `audit_log.action` texts, and they are
/// part of each entry's hash: renaming a raw value would make new entries read differently
/// from the old ones, so a raw value never changes (AuditActionTests lists them all).
public enum AuditAction: String, CaseIterable, Sendable {
    // MARK: Cases
    /// A case was opened.
    case caseCreate = "case.create"
    /// A case's facts were read.
    case caseRead = "case.read"
    /// A case's facts were changed.
    case caseUpdate = "case.update"
    /// A caseworker set a case's category by hand, overriding the classifier.
    case caseOverride = "case.override"
    /// The organisation's cases were listed.
    case caseList = "case.list"
    /// Every case was classified again under a new classifier version (`passage reclassify`).
    case casesReclassify = "cases.reclassify"
    /// A case was closed, with its reason code (Docs/case-life.md).
    case caseClose = "case.close"
    /// A closed case was reopened.
    case caseReopen = "case.reopen"

    // MARK: Persons
    /// A case's personal data was changed.
    case personUpdate = "person.update"
    /// A case's personal data was read in clear.
    case personRead = "person.read"
    /// The organisation's persons were searched (the fields searched by, never their values).
    case personSearch = "person.search"

    // MARK: Needs
    /// A need was recorded on a case.
    case needAdd = "need.add"
    /// A case's needs were listed.
    case needList = "need.list"
    /// A need's status changed.
    case needStatus = "need.status"
    /// Stored needs were moved from a wrongly labelled code to the right one (written by a schema
    /// migration, Schema/0017; actor `migration:0017`).
    case needsRecode = "needs.recode"

    // MARK: Referrals
    /// A referral was made.
    case referralCreate = "referral.create"
    /// A referral was made without the person's recorded consent, by a supervisor's override.
    case referralConsentOverride = "referral.consent_override"
    /// A referral repeated an earlier open one for the same need and provider.
    case referralRepeat = "referral.repeat"
    /// The provider accepted a referral.
    case referralAccepted = "referral.accepted"
    /// The provider declined a referral.
    case referralDeclined = "referral.declined"
    /// The provider completed a referral, with its outcome.
    case referralCompleted = "referral.completed"
    /// The referring side withdrew a referral.
    case referralCancelled = "referral.cancelled"
    /// The organisation's referrals were listed.
    case referralList = "referral.list"
    /// A referral was read.
    case referralRead = "referral.read"

    // MARK: Providers
    /// A new provider was registered.
    case providerAdd = "provider.add"
    /// An existing provider was attached to an organisation.
    case providerAttach = "provider.attach"
    /// Providers were imported from a file (`passage provider import`).
    case providerImport = "provider.import"
    /// A location, phone or contact of a provider was added or removed by hand (PROVIDER
    /// LOCATION|PHONE|CONTACT|REMOVE); the subject is the provider, the detail the entry's number.
    case providerLocationAdd = "provider.location.add"
    case providerLocationRemove = "provider.location.remove"
    case providerPhoneAdd = "provider.phone.add"
    case providerPhoneRemove = "provider.phone.remove"
    case providerContactAdd = "provider.contact.add"
    case providerContactRemove = "provider.contact.remove"

    // MARK: Users and sign-in
    /// A user account was created.
    case userAdd = "user.add"
    /// A user's password was set.
    case userPasswd = "user.passwd"
    /// A user account was locked.
    case userLock = "user.lock"
    /// A user account was unlocked.
    case userUnlock = "user.unlock"
    /// A user's role changed.
    case userRole = "user.role"
    /// A user account was removed.
    case userRemove = "user.remove"
    /// A supervisor confirmed a change another organisation made to one of its users.
    case userConfirm = "user.confirm"
    /// A demo account was disabled because the server is not a demo.
    case userDemoDisabled = "user.demo_disabled"
    /// A user signed in.
    case userSignIn = "user.sign_in"
    /// A sign-in failed (unknown user or wrong password).
    case userSignInFailed = "user.sign_in_failed"
    /// Repeated failures blocked sign-ins for a user and address, or for an address prefix.
    case signInThrottled = "sign_in.throttled"
    /// A user signed in for a token session (HTTP API, web pages); the detail names the session,
    /// never its token.
    case sessionOpen = "session.open"
    /// A token session was signed out.
    case sessionClose = "session.close"
    /// A signed-in user was refused a command or a record.
    case accessRefused = "access.refused"
    /// The "who saw my data" report of a person was read (`AUDIT PERSON`).
    case auditPerson = "audit.person"

    // MARK: Statistics and gaps
    /// An organisation's differential-privacy policy was set (`passage privacy-policy`).
    case privacyPolicy = "privacy.policy"
    /// A statistics release was made (the first table of its period).
    case statsRelease = "stats.release"
    /// A statistics table was exported.
    case statsExport = "stats.export"
    /// Case-level microdata was exported.
    case statsMicrodata = "stats.microdata"
    /// A gaps release was made (the first answer of its period to one question).
    case gapsRelease = "gaps.release"
    /// A gaps table of unmet needs was asked for.
    case gapsUnmet = "gaps.unmet"
    /// A gaps table of overdue referrals was asked for.
    case gapsOverdue = "gaps.overdue"
    /// A gaps table of service coverage was asked for.
    case gapsCoverage = "gaps.coverage"
    /// A gaps table of referral outcomes was asked for.
    case gapsOutcomes = "gaps.outcomes"

    // MARK: Demo
    /// A demo population was loaded.
    case demoLoad = "demo.load"

    // MARK: Keys
    /// Personal identifiers were re-sealed under a new personal-data key (`passage pii-key rotate`).
    case personalDataKeyRotated = "pii_key.rotated"

    // MARK: Transfers (Docs/transfers.md)
    /// The owner proposed a case's transfer to another organisation.
    case transferPropose = "transfer.propose"
    /// Another organisation asked for a case.
    case transferRequest = "transfer.request"
    /// A transfer was accepted (or a request granted): the case changed owner.
    case transferAccept = "transfer.accept"
    /// A transfer was declined.
    case transferDecline = "transfer.decline"
    /// An open transfer was cancelled (consent withdrawn, …).
    case transferCancel = "transfer.cancel"
    /// The transfers an organisation is a party to were listed.
    case transferList = "transfer.list"

    // MARK: Merges and duplicates (Docs/finding-persons.md)
    /// Two person records of an organisation were merged (subject the survivor's case).
    case personMerge = "person.merge"
    /// A merge was undone: the moved cases went back to their person.
    case personUnmerge = "person.unmerge"
    /// Candidate duplicate pairs were recorded for a newly registered person.
    case duplicateFound = "duplicate.found"
    /// An organisation's candidate duplicate pairs were listed.
    case duplicateList = "duplicate.list"
    /// A side confirmed a candidate pair.
    case duplicateConfirm = "duplicate.confirm"
    /// A side rejected a candidate pair.
    case duplicateReject = "duplicate.reject"
    /// An organisation's duplicate-rate report was read.
    case duplicateRate = "duplicate.rate"

    // MARK: Retention and erasure (Docs/case-life.md)
    /// A person's identifiers were erased by crypto-shredding (subject the case; detail the
    /// reason, retention or request; never what was erased).
    case personErased = "person.erased"
    /// An organisation's retention period for closed cases was set or turned off.
    case organisationRetention = "organisation.retention"

    /// The entry a referral's move by `event` records.
    public static func referralMoved(by event: ReferralEvent) -> AuditAction {
        switch event {
        case .accept: .referralAccepted
        case .decline: .referralDeclined
        case .complete: .referralCompleted
        case .cancel: .referralCancelled
        }
    }
}
