/// What a handler (or the services behind it) throws; each case is one reply code of the
/// contract. Services translate their own failures into these — anything else that escapes a
/// handler is logged and answered `451` (see `CommandDispatcher`).
public enum ConsoleError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 550: no such record, or not visible to this user (the two are deliberately the same).
    case notFound(String)
    /// 551: stale version, illegal transition, duplicate.
    case conflict(String)
    /// 553: the person's consent is needed first.
    case consentRequired(String)
    /// 451: database unavailable or transient fault; retrying is safe.
    case unavailable(String)
    /// 501: the text names the argument.
    case badArgument(argument: String, message: String)
    /// 530: this role may not do this.
    case permissionDenied(String)
    /// 515: wrong user or password, or locked.
    case authenticationFailed(String)
    /// 514: the session's credentials ended (its user was locked, removed, or given a new
    /// password or role); the dispatcher signs the connection out.
    case sessionEnded(String)
    /// 452: a limit of this user's share was reached (heavy queries at once, bulk-read rate);
    /// nothing was done, retrying later is safe, the text says when or why.
    case busy(String)

    public var code: Int {
        switch self {
        case .notFound: 550
        case .conflict: 551
        case .consentRequired: 553
        case .unavailable: 451
        case .badArgument: 501
        case .permissionDenied: 530
        case .authenticationFailed: 515
        case .sessionEnded: 514
        case .busy: 452
        }
    }

    public var message: String {
        switch self {
        case .notFound(let text), .conflict(let text), .consentRequired(let text), .unavailable(let text),
            .permissionDenied(let text), .authenticationFailed(let text), .sessionEnded(let text), .busy(let text):
            text
        case .badArgument(let argument, let message):
            "\(argument): \(message)"
        }
    }

    public var description: String { "\(code) \(message)" }

    public var reply: Reply { .failure(code, message) }
}
