import PassageServices

/// What the console's command table runs with: the application services, and the one handler
/// not yet declared with an action over them (GAPS, whose publication still builds reply values;
/// issue 18). A nil `gaps` leaves GAPS out of the table (`510 unknown command`, and HELP and the
/// generated docs do not list it). The executable builds this from its `ServiceHost`
/// (`ConsoleServicesOnStore.make`); the console's own tests from fakes.
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
