extension ConsoleServices {
    /// Services that refuse everything, used only to read the command declarations for
    /// documentation; never served (a server always gets real services).
    static var declarationsOnly: ConsoleServices {
        let refuse: CommandHandler = { _, _ in throw ConsoleError.unavailable("not available") }
        let services = ConsoleServices(
            gaps: refuse,
            application: nil).withNeedsAndReferrals(refuse)
        return services
    }

    /// These services with every needs, providers and referrals command answered by `handler`.
    func withNeedsAndReferrals(_ handler: @escaping CommandHandler) -> ConsoleServices {
        var services = self
        return services
    }
}
