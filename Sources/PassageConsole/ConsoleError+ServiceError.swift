import PassageServices

extension ConsoleError {
    /// The console's reply for a use case's typed outcome: the one place where service errors
    /// become reply codes (the text is passed on, never read).
    public init(_ error: ServiceError) {
        switch error {
        case .notFound(let text): self = .notFound(text)
        case .conflict(let text): self = .conflict(text)
        // The console has always replied 551 to a stale version, as to any conflict.
        case .staleVersion(let text): self = .conflict(text)
        case .consentRequired(let text): self = .consentRequired(text)
        case .unavailable(let text): self = .unavailable(text)
        case .badArgument(let argument, let message): self = .badArgument(argument: argument, message: message)
        case .permissionDenied(let text): self = .permissionDenied(text)
        case .sessionEnded(let text): self = .sessionEnded(text)
        case .busy(let text): self = .busy(text)
        }
    }
}
