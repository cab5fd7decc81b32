/// Choices declared from a PassageCore code list, delivered to the handler as its typed value:
/// the list is written once (the enum), and a handler never turns the text back into a value.
extension ArgumentKind {
    /// One of `T`'s raw values, in `T`'s declaration order.
    public static func choice<T: CaseIterable & RawRepresentable>(of type: T.Type) -> ArgumentKind
    where T.RawValue == String {
        .choice(T.allCases.map(\.rawValue))
    }
}

extension Invocation {
    /// The validated value of choice argument `name` as `T`. The command table already refused
    /// anything outside the declared list, so a value that is not a `T` means the declaration
    /// lists other values than `T` has: a wiring fault, reported as the argument's error.
    public func choice<T: RawRepresentable>(_ type: T.Type, _ name: String) throws(ConsoleError) -> T
    where T.RawValue == String {
        let text = try text(name)
        guard let value = T(rawValue: text) else {
            throw .badArgument(argument: name, message: "\(text) is not a \(T.self) value")
        }
        return value
    }

    /// Like `choice`, nil when the optional argument is absent.
    public func optionalChoice<T: RawRepresentable>(_ type: T.Type, _ name: String) throws(ConsoleError) -> T?
    where T.RawValue == String {
        guard optionalText(name) != nil else { return nil }
        return try choice(type, name)
    }
}
