import Synchronization

/// A refused command worth an audit entry: a signed-in user asked for something their role may
/// not do (530) or for a record that does not exist or is not theirs (550). It carries only
/// references: the command's canonical name, the record ids the line named, the reply code;
/// never the line's text, so no free text or personal data reaches the audit log this way.
public struct Refusal: Sendable, Equatable {
    public let user: String
    public let command: String
    public let code: Int
    /// `case:12`, `need:3` …: the line's id arguments by their declared names.
    public let targets: [String]

    public init(user: String, command: String, code: Int, targets: [String]) {
        self.user = user
        self.command = command
        self.code = code
        self.targets = targets
    }
}

/// Keeps refusals from becoming a cheap way to flood the audit log (Docs/security.md "6. Audit"):
/// per user and per minute, the first refusal of each kind (command, code, targets) is written,
/// up to `perWindow` entries; the rest are counted, and the count travels in the user's next
/// written refusal entry (`…; N more refusals not written`), so nothing is lost silently. Keyed
/// by user, not by connection, so opening more connections buys no more entries. Memory: at most
/// `perWindow` keys per user refused in the current minute, and a count per user whose
/// unwritten refusals still wait for their next entry (bounded by the number of users).
public final class RefusalLimiter: Sendable {
    public let perWindow: Int
    public let window: Duration

    private struct UserWindow {
        var started: ContinuousClock.Instant
        var written: Set<String> = []
        var suppressed = 0
        var suppressedThisWindow = false
    }

    private let windows = Mutex<[String: UserWindow]>([:])

    public init(perWindow: Int = 20, window: Duration = .seconds(60)) {
        self.perWindow = perWindow
        self.window = window
    }

    public enum Decision: Sendable, Equatable {
        /// Write the entry; `suppressed` refusals of this user were not written since the last one.
        case write(suppressed: Int)
        /// Count it only; `first` for the first one the user's current minute suppresses (worth a
        /// line in the operator's log).
        case suppress(first: Bool)
    }

    public func decide(_ refusal: Refusal, now: ContinuousClock.Instant = .now) -> Decision {
        let kind = "\(refusal.command)|\(refusal.code)|\(refusal.targets.joined(separator: ","))"
        return windows.withLock { windows in
            // Forget finished windows, so the map holds only this minute's users, except the
            // count of what was not written, which waits for the user's next written entry.
            windows = windows.filter { now - $0.value.started < window || $0.value.suppressed > 0 }
            var current = windows[refusal.user] ?? UserWindow(started: now)
            if now - current.started >= window {
                current = UserWindow(started: now, suppressed: current.suppressed)
            }
            defer { windows[refusal.user] = current }
            if current.written.contains(kind) || current.written.count >= perWindow {
                current.suppressed += 1
                defer { current.suppressedThisWindow = true }
                return .suppress(first: !current.suppressedThisWindow)
            }
            current.written.insert(kind)
            let suppressed = current.suppressed
            current.suppressed = 0
            return .write(suppressed: suppressed)
        }
    }
}
