import PassageStore

extension StoreWork {
    /// A store's refusal of a value, naming the argument it came from.
    static func badArgument(_ error: StoreError) -> ServiceError {
        guard case .invalid(let message) = error else { return .badArgument(argument: "input", message: error.description) }
        // Until StoreError.invalid carries its argument (issue #18, typed errors): the store's
        // messages start with the argument's name.
        let argument = String(message.prefix { $0.isLetter || $0 == "_" || $0 == "." }).lowercased()
        let text = message.hasPrefix(argument + ": ") ? String(message.dropFirst(argument.count + 2)) : message
        return .badArgument(argument: argument, message: text)
    }
}
