import PassageCore

extension StoreError {
    /// A disclosure rule's refusal of the request's parameters (a `DisclosureError`), as the
    /// store's refusal. `DisclosureError` does not name its parameter yet: its messages begin
    /// with it ("k must be at least 5"), so the argument is read from there, in this one place,
    /// until it carries it.
    public init(_ error: any Error) {
        let message = "\(error)"
        self = .invalid(
            argument: String(message.prefix { $0.isLetter || $0 == "_" || $0 == "." }).lowercased(), message: message)
    }
}
