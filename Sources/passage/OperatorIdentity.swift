import PassageCore
import PassageServices

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Who is at work when a command-line tool reads the database directly rather than through the
/// console: the operating-system user running it, as `operator:<name>`. Such a tool holds the
/// database itself, so it cannot honestly claim to be a console user; it is audited, and spends
/// a privacy budget, as what it is. Console user names cannot contain ':', so the two never
/// meet. The real uid is used (under sudo: root), not $USER, which the caller sets at will.
enum OperatorIdentity {
    static func current() -> String {
        let uid = getuid()
        let name = getpwuid(uid).map { String(cString: $0.pointee.pw_name) } ?? "uid\(uid)"
        return "operator:" + name
    }

    /// The operator as the services see them, acting from the command line (audited with source
    /// `cli`). `role` decides what a use case lets them do and see, as for a console user:
    /// `.admin` to administer, `.policy` for figures over every organisation, `.analyst` with
    /// `organisation` for that organisation's.
    static func actor(role: Role, organisation: String = "") -> Actor {
        Actor(name: current(), role: role, organisation: organisation, source: "cli")
    }
}
