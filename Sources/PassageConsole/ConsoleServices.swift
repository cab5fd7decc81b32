import PassageServices

/// What the console needs from the rest of Passage: one handler per store-backed command not yet
/// declared with an action over the application services. The needs, referrals,
/// statistics and gaps handlers arrive with those features: a command whose handler is nil is
/// left out of the table entirely (so it is `510 unknown command`, and HELP and the generated
/// docs do not list it), rather than declared and unanswerable. The executable builds this over PassageStore; the console's
/// own tests build it from in-memory fakes.
///
/// Handlers receive arguments already validated by the command table (`ConsoleCommands`) and
/// must not re-check them; they throw `ConsoleError` for outcomes the table cannot know
/// (not found, stale version, consent missing, database unavailable).
public struct ConsoleServices: Sendable {
    /// The application services the commands declared with an action run with (Docs/architecture.md).
    /// nil only while reading declarations for documentation (`declarationsOnly`).
    public var application: ApplicationServices?

    public var gaps: CommandHandler?

    public init(
        gaps: CommandHandler? = nil,
        application: ApplicationServices?
    ) {
        self.application = application
        self.gaps = gaps
    }
}
