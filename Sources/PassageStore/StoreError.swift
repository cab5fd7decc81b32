/// What the store refuses, in terms the console maps onto its reply codes.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No such thing, or it exists but this user's organisation may not see it (550).
    case notFound(String)
    /// The caller's version is not the current one: someone else changed it first (551).
    case staleVersion(current: Int, given: Int)
    /// The same thing already exists (551).
    case duplicate(String)
    /// The request is well-formed but not allowed in this state (551).
    case conflict(String)
    /// A value the caller gave cannot be used (501): `argument` names it (the console replies
    /// `501 <argument>: <message>`), `message` says what is wrong with it.
    case invalid(argument: String, message: String)
    /// A file, key or stored record the server or a command-line tool works with cannot be used;
    /// no request argument is at fault.
    case unusable(String)

    public var description: String {
        switch self {
        case .notFound(let what): return "\(what) not found"
        case .staleVersion(let current, let given):
            return "stale version \(given): the current version is \(current); read it again and reapply your change"
        case .duplicate(let what): return "\(what) already exists"
        case .conflict(let why): return why
        case .invalid(let argument, let message): return "\(argument): \(message)"
        case .unusable(let why): return why
        }
    }
}
