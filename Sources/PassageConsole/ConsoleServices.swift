import PassageServices

/// What the console needs from the rest of Passage: the password check and one handler per
/// store-backed command. The user and audit handlers are required. The needs, referrals,
/// statistics and gaps handlers arrive with those features: a command whose handler is nil is
/// left out of the table entirely (so it is `510 unknown command`, and HELP and the generated
/// docs do not list it), rather than declared and unanswerable. The executable builds this over PassageStore; the console's
/// own tests build it from in-memory fakes.
///
/// Handlers receive arguments already validated by the command table (`ConsoleCommands`) and
/// must not re-check them; they throw `ConsoleError` for outcomes the table cannot know
/// (not found, stale version, consent missing, database unavailable).
public struct ConsoleServices: Sendable {
    public var authenticator: any Authenticator
    /// The application services the commands declared with an action run with (Docs/architecture.md).
    /// nil only while reading declarations for documentation (`declarationsOnly`).
    public var application: ApplicationServices?

    /// Records refused commands (530, 550) in the audit log; assigned after `init`.
    public var refusalAudit: (any RefusalAudit)?
    public var stats: CommandHandler?
    public var gaps: CommandHandler?
    public var auditTail: CommandHandler
    public var auditVerify: CommandHandler
    public var userAdd: CommandHandler
    public var userPasswd: CommandHandler
    public var userLock: CommandHandler
    public var userUnlock: CommandHandler
    public var userList: CommandHandler
    /// `USER ROLE`, `USER REMOVE`: assigned after `init` (a table without them leaves them out).
    public var userRole: CommandHandler?
    public var userRemove: CommandHandler?
    /// `NOTICES`, `USER CONFIRM` (supervisors; Docs/security.md "7. Separation of duties"): assigned after `init`.
    public var notices: CommandHandler?
    public var userConfirm: CommandHandler?

    public init(
        authenticator: any Authenticator,
        stats: CommandHandler? = nil, gaps: CommandHandler? = nil,
        auditTail: @escaping CommandHandler, auditVerify: @escaping CommandHandler,
        userAdd: @escaping CommandHandler, userPasswd: @escaping CommandHandler,
        userLock: @escaping CommandHandler, userUnlock: @escaping CommandHandler, userList: @escaping CommandHandler,
        application: ApplicationServices?
    ) {
        self.authenticator = authenticator
        self.application = application
        self.stats = stats
        self.gaps = gaps
        self.auditTail = auditTail
        self.auditVerify = auditVerify
        self.userAdd = userAdd
        self.userPasswd = userPasswd
        self.userLock = userLock
        self.userUnlock = userUnlock
        self.userList = userList
    }
}
