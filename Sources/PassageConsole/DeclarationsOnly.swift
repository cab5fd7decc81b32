extension ConsoleServices {
    /// Services that refuse everything, used only to read the command declarations for
    /// documentation; never served (a server always gets real services).
    static var declarationsOnly: ConsoleServices {
        ConsoleServices(gaps: { _, _ in throw ConsoleError.unavailable("not available") }, application: nil)
    }
}
