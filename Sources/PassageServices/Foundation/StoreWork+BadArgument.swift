import PassageStore

extension StoreWork {
    /// A store's refusal of a value, naming the argument it came from.
    static func badArgument(_ error: StoreError) -> ServiceError {
        guard case .invalid(let argument, let message) = error else {
            return .badArgument(argument: "input", message: error.description)
        }
        return .badArgument(argument: argument, message: message)
    }
}
